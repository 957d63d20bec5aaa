import GRDB

/// The care-transitions tables (CL-12, CL-10) in the service's SQLite file.
///
/// - `cl_care_transitions`: one row per accepted referral (`referral_id` unique).
/// - `cl_patient_charts_seen`: patient → chart, learnt from events that carry both.
/// - `cl_patient_merge_applications`: one row per applied merge (`merge_key` unique: the PM
///   `merge_log_id`, or `registration:<CloudEvents id>`).
/// - `cl_transition_repoints`: every transition a merge moved, so an unmerge restores exactly those.
/// - `cl_program_cost_outcomes`: FA program cost allocations for the CL-10 outcomes context.
///
/// Every query of the service filters by `organization_id`.
public enum CareTransitionsSchema {
  /// Table names, as in the seeds where the seeds name them.
  public static let tables = [
    "cl_care_transitions", "cl_patient_charts_seen", "cl_patient_merge_applications",
    "cl_transition_repoints", "cl_program_cost_outcomes",
  ]

  /// Adds the service's migrations.
  public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("care-transitions.v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE cl_care_transitions (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            referral_id TEXT NOT NULL UNIQUE,
            patient_id TEXT NOT NULL,
            original_patient_id TEXT NOT NULL,
            chart_id TEXT,
            needs_chart_creation INTEGER NOT NULL DEFAULT 0 CHECK (needs_chart_creation IN (0, 1)),
            referring_provider_id TEXT NOT NULL,
            accepting_provider_id TEXT NOT NULL,
            referral_type TEXT NOT NULL,
            service_type TEXT NOT NULL,
            priority TEXT NOT NULL CHECK (priority IN ('routine', 'urgent', 'emergent')),
            authorization_number TEXT,
            care_coordinator_id TEXT,
            assignment_pool TEXT NOT NULL,
            assignment_reason TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'awaiting_coordinator', 'closed_deceased')),
            status_before_close TEXT,
            closed_at TEXT,
            closed_by_event_id TEXT,
            source_event_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((status = 'closed_deceased') = (status_before_close IS NOT NULL))
          );
          CREATE INDEX cl_care_transitions_patient ON cl_care_transitions (organization_id, patient_id);
          CREATE INDEX cl_care_transitions_coordinator
            ON cl_care_transitions (organization_id, care_coordinator_id, status);

          CREATE TABLE cl_patient_charts_seen (
            organization_id TEXT NOT NULL,
            patient_id TEXT NOT NULL,
            chart_id TEXT NOT NULL,
            learnt_from_event_id TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (organization_id, patient_id)
          );

          CREATE TABLE cl_patient_merge_applications (
            merge_key TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            survivor_patient_id TEXT NOT NULL,
            merged_patient_id TEXT NOT NULL,
            repointed_count INTEGER NOT NULL DEFAULT 0,
            merged_chart_id TEXT,
            chart_copied_to_survivor INTEGER NOT NULL DEFAULT 0 CHECK (chart_copied_to_survivor IN (0, 1)),
            applied_at TEXT NOT NULL,
            unmerged_at TEXT,
            unmerged_by_event_id TEXT
          );
          CREATE INDEX cl_patient_merge_applications_pair
            ON cl_patient_merge_applications (organization_id, merged_patient_id, survivor_patient_id);

          CREATE TABLE cl_transition_repoints (
            id INTEGER PRIMARY KEY,
            merge_key TEXT NOT NULL REFERENCES cl_patient_merge_applications (merge_key),
            organization_id TEXT NOT NULL,
            transition_id TEXT NOT NULL REFERENCES cl_care_transitions (id),
            from_patient_id TEXT NOT NULL,
            to_patient_id TEXT NOT NULL,
            repointed_at TEXT NOT NULL,
            restored_at TEXT,
            restored_by_event_id TEXT,
            UNIQUE (merge_key, transition_id)
          );
          CREATE INDEX cl_transition_repoints_transition ON cl_transition_repoints (transition_id);

          CREATE TABLE cl_program_cost_outcomes (
            id INTEGER PRIMARY KEY,
            allocation_id TEXT NOT NULL UNIQUE,
            organization_id TEXT NOT NULL,
            program_id TEXT NOT NULL,
            program_name TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            total_cost_cents INTEGER NOT NULL,
            cost_per_patient_day REAL,
            patient_count INTEGER NOT NULL,
            allocation_method TEXT NOT NULL,
            cost_per_patient_cents INTEGER,
            source_event_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX cl_program_cost_outcomes_program
            ON cl_program_cost_outcomes (organization_id, program_id, period_start);
          """)
    }
  }
}
