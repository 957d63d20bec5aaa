import GRDB

/// The lead-reconciliation tables (CE-29) in the service's SQLite file.
///
/// - `ce_lead_conversions`: exactly the seed's columns (000), UNIQUE (organization_id, lead_id,
///   conversion_type, correlation_id), INSERT-only: triggers abort any UPDATE or DELETE.
/// - `ce_lead_conversion_sources`: which event (and event name, e.g. the deprecated
///   `ce_lead_converted`) produced or repeated each conversion row.
/// - `ce_lead_patient_links`: the patient a converted lead became, re-pointed on merge and restored
///   on unmerge (the audit rows themselves never change).
/// - `ce_pending_patient_registrations`: patient registrations that arrived before their conversion.
/// - `ce_patient_merge_applications` and `ce_link_repoints`: applied merges and the links they moved.
///
/// Every query of the service filters by `organization_id`.
public enum LeadReconciliationSchema {
  /// Table names.
  public static let tables = [
    "ce_lead_conversions", "ce_lead_conversion_sources", "ce_lead_patient_links",
    "ce_pending_patient_registrations", "ce_patient_merge_applications", "ce_link_repoints",
  ]

  /// The message of the triggers that keep `ce_lead_conversions` INSERT-only.
  public static let insertOnlyMessage = "ce_lead_conversions is INSERT-only"

  /// Adds the service's migrations.
  public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("lead-reconciliation.v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE ce_lead_conversions (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            conversion_type TEXT NOT NULL
              CHECK (conversion_type IN ('lead_to_patient', 'lead_to_resident', 'lead_to_both')),
            correlation_id TEXT NOT NULL,
            patient_id TEXT,
            resident_id TEXT,
            converted_by TEXT NOT NULL,
            notes TEXT CHECK (notes IS NULL OR length(notes) <= 500),
            custom_fields TEXT CHECK (custom_fields IS NULL OR json_valid(custom_fields)),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (organization_id, lead_id, conversion_type, correlation_id)
          );
          CREATE TRIGGER ce_lead_conversions_no_update BEFORE UPDATE ON ce_lead_conversions
          BEGIN
            SELECT RAISE(ABORT, '\(insertOnlyMessage)');
          END;
          CREATE TRIGGER ce_lead_conversions_no_delete BEFORE DELETE ON ce_lead_conversions
          BEGIN
            SELECT RAISE(ABORT, '\(insertOnlyMessage)');
          END;
          CREATE INDEX ce_lead_conversions_correlation ON ce_lead_conversions (organization_id, correlation_id);

          CREATE TABLE ce_lead_conversion_sources (
            conversion_id TEXT NOT NULL REFERENCES ce_lead_conversions (id),
            event_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            organization_id TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (conversion_id, event_id)
          );

          CREATE TABLE ce_lead_patient_links (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            patient_id TEXT NOT NULL,
            original_patient_id TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            link_source TEXT NOT NULL CHECK (link_source IN ('conversion_event', 'registration_patient_created')),
            link_event_id TEXT NOT NULL,
            UNIQUE (organization_id, correlation_id)
          );
          CREATE INDEX ce_lead_patient_links_patient ON ce_lead_patient_links (organization_id, patient_id);

          CREATE TABLE ce_pending_patient_registrations (
            organization_id TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            patient_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (organization_id, correlation_id)
          );
          CREATE INDEX ce_pending_patient_registrations_age ON ce_pending_patient_registrations (received_at);

          CREATE TABLE ce_patient_merge_applications (
            merge_key TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            survivor_patient_id TEXT NOT NULL,
            merged_patient_id TEXT NOT NULL,
            repointed_count INTEGER NOT NULL DEFAULT 0,
            applied_at TEXT NOT NULL,
            unmerged_at TEXT,
            unmerged_by_event_id TEXT
          );
          CREATE INDEX ce_patient_merge_applications_pair
            ON ce_patient_merge_applications (organization_id, merged_patient_id, survivor_patient_id);

          CREATE TABLE ce_link_repoints (
            id INTEGER PRIMARY KEY,
            merge_key TEXT NOT NULL REFERENCES ce_patient_merge_applications (merge_key),
            organization_id TEXT NOT NULL,
            link_id TEXT NOT NULL REFERENCES ce_lead_patient_links (id),
            from_patient_id TEXT NOT NULL,
            to_patient_id TEXT NOT NULL,
            repointed_at TEXT NOT NULL,
            restored_at TEXT,
            restored_by_event_id TEXT,
            UNIQUE (merge_key, link_id)
          );
          CREATE INDEX ce_link_repoints_link ON ce_link_repoints (link_id);
          """)
    }
  }
}
