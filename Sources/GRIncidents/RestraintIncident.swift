import GRDB

/// A row of `gr_incidents`: the GR-09 regulatory incident of one restraint/seclusion event.
public struct RestraintIncident: Sendable, Equatable {
  /// Incident id (UUID).
  public var id: String
  /// Tenant (lowercased UUID).
  public var organizationId: String
  /// cl_restraint_seclusion_events.id (the initiated event's `entity_id`, lowercased).
  public var restraintEventId: String
  /// cl_patient_charts.id.
  public var chartId: String
  /// Always `restraint_seclusion`.
  public var incidentType: String
  /// `restraint`, `seclusion`, `both`, as sent.
  public var eventType: String
  /// `adult`, `adolescent`, `child`, as sent.
  public var patientAgeGroup: String
  /// Age-based regulatory limit in hours.
  public var maxDurationHours: Double
  /// Initiation (ISO 8601 UTC).
  public var initiationTime: String
  /// Termination (ISO 8601 UTC), once terminated.
  public var terminationTime: String?
  /// Whole minutes between initiation and termination, once terminated.
  public var actualDurationMinutes: Int?
  /// Whether a post-termination face-to-face is still required, once terminated.
  public var faceToFaceRequired: Bool?
  /// When a deferred face-to-face is due (ISO 8601 UTC).
  public var faceToFaceDeadline: String?
  /// `open`, `closed` or `escalated`.
  public var status: String
  /// `duration_exceeded`, `face_to_face_required`, or both comma-separated; set iff escalated.
  public var escalationReason: String?
  /// Related crisis episode.
  public var crisisEpisodeId: String?
  /// Supervisor alerted.
  public var supervisorId: String?
  /// The initiated event that created the incident.
  public var sourceEventId: String
  /// The terminated event last applied.
  public var terminationEventId: String?
  /// Creation time (ISO 8601 UTC).
  public var createdAt: String
  /// Last change (ISO 8601 UTC).
  public var updatedAt: String

  /// The incident of restraint event `restraintEventId`, if any.
  public static func fetchOne(_ db: Database, restraintEventId: String) throws -> RestraintIncident? {
    try Row.fetchOne(
      db, sql: "SELECT * FROM gr_incidents WHERE restraint_event_id = ?",
      arguments: [restraintEventId.lowercased()]
    ).map(RestraintIncident.init(row:))
  }

  /// Decodes a `gr_incidents` row.
  init(row: Row) throws {
    id = try row.decode(forColumn: "id")
    organizationId = try row.decode(forColumn: "organization_id")
    restraintEventId = try row.decode(forColumn: "restraint_event_id")
    chartId = try row.decode(forColumn: "chart_id")
    incidentType = try row.decode(forColumn: "incident_type")
    eventType = try row.decode(forColumn: "event_type")
    patientAgeGroup = try row.decode(forColumn: "patient_age_group")
    maxDurationHours = try row.decode(forColumn: "max_duration_hours")
    initiationTime = try row.decode(forColumn: "initiation_time")
    terminationTime = try row.decode(forColumn: "termination_time")
    actualDurationMinutes = try row.decode(forColumn: "actual_duration_minutes")
    faceToFaceRequired = try row.decode(forColumn: "face_to_face_required")
    faceToFaceDeadline = try row.decode(forColumn: "face_to_face_deadline")
    status = try row.decode(forColumn: "status")
    escalationReason = try row.decode(forColumn: "escalation_reason")
    crisisEpisodeId = try row.decode(forColumn: "crisis_episode_id")
    supervisorId = try row.decode(forColumn: "supervisor_id")
    sourceEventId = try row.decode(forColumn: "source_event_id")
    terminationEventId = try row.decode(forColumn: "termination_event_id")
    createdAt = try row.decode(forColumn: "created_at")
    updatedAt = try row.decode(forColumn: "updated_at")
  }
}
