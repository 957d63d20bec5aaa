import GRDB

/// The gr-incidents tables, created by `GRIncidentsHandler.registerMigrations` (STRICT):
///
/// - `gr_incidents`: one GR-09 regulatory incident per restraint/seclusion event
///   (`restraint_event_id` = cl_restraint_seclusion_events.id, unique).
/// - `gr_incident_awareness`: one record per high/imminent-risk crisis episode (unique episode id).
/// - `pf_audit_logs`: the 42 CFR 482.13 automation audit trail, append-only (triggers refuse
///   UPDATE and DELETE, so retention cannot be undermined by the service).
public enum GRIncidentsSchema {
  /// `gr_incidents`.
  public static let incidents = "gr_incidents"
  /// `gr_incident_awareness`.
  public static let awareness = "gr_incident_awareness"
  /// `pf_audit_logs`.
  public static let auditLogs = "pf_audit_logs"

  /// Adds the migrations.
  public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("gr-incidents.v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE gr_incidents (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            restraint_event_id TEXT NOT NULL UNIQUE,
            chart_id TEXT NOT NULL,
            incident_type TEXT NOT NULL CHECK (incident_type = 'restraint_seclusion'),
            event_type TEXT NOT NULL,
            patient_age_group TEXT NOT NULL,
            max_duration_hours REAL NOT NULL CHECK (max_duration_hours >= 0),
            initiation_time TEXT NOT NULL,
            termination_time TEXT,
            actual_duration_minutes INTEGER,
            face_to_face_required INTEGER CHECK (face_to_face_required IN (0, 1)),
            face_to_face_deadline TEXT,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'escalated')),
            escalation_reason TEXT,
            crisis_episode_id TEXT,
            supervisor_id TEXT,
            source_event_id TEXT NOT NULL,
            termination_event_id TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((status = 'escalated') = (escalation_reason IS NOT NULL))
          ) STRICT;
          CREATE INDEX gr_incidents_status ON gr_incidents (organization_id, status);

          CREATE TABLE gr_incident_awareness (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            crisis_episode_id TEXT NOT NULL UNIQUE,
            chart_id TEXT NOT NULL,
            crisis_type TEXT NOT NULL,
            risk_level TEXT NOT NULL,
            supervisor_id TEXT,
            source_event_id TEXT NOT NULL,
            created_at TEXT NOT NULL
          ) STRICT;

          CREATE TABLE pf_audit_logs (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            action TEXT NOT NULL,
            entity_type TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            timestamp TEXT NOT NULL,
            new_values TEXT NOT NULL CHECK (json_valid(new_values))
          ) STRICT;
          CREATE INDEX pf_audit_logs_entity ON pf_audit_logs (entity_type, entity_id);
          CREATE TRIGGER pf_audit_logs_no_update BEFORE UPDATE ON pf_audit_logs
            BEGIN SELECT RAISE(ABORT, 'pf_audit_logs is append-only'); END;
          CREATE TRIGGER pf_audit_logs_no_delete BEFORE DELETE ON pf_audit_logs
            BEGIN SELECT RAISE(ABORT, 'pf_audit_logs is append-only'); END;
          """)
    }
  }
}
