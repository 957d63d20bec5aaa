import GRDB

/// A row of `gr_incident_awareness`: GR's record of a high- or imminent-risk crisis episode.
public struct IncidentAwareness: Sendable, Equatable {
  /// Record id (UUID).
  public var id: String
  /// Tenant (lowercased UUID).
  public var organizationId: String
  /// cl_crisis_episodes.id (lowercased).
  public var crisisEpisodeId: String
  /// cl_patient_charts.id.
  public var chartId: String
  /// `walk_in`, `mobile`, `observation_23hr`, `phone`, `telehealth`.
  public var crisisType: String
  /// `high` or `imminent` (lowercased).
  public var riskLevel: String
  /// Supervisor alerted, when the event named one.
  public var supervisorId: String?
  /// The event that created the record.
  public var sourceEventId: String
  /// Creation time (ISO 8601 UTC).
  public var createdAt: String

  /// The record of crisis episode `crisisEpisodeId`, if any.
  public static func fetchOne(_ db: Database, crisisEpisodeId: String) throws -> IncidentAwareness? {
    try Row.fetchOne(
      db, sql: "SELECT * FROM gr_incident_awareness WHERE crisis_episode_id = ?",
      arguments: [crisisEpisodeId.lowercased()]
    ).map(IncidentAwareness.init(row:))
  }

  /// Decodes a `gr_incident_awareness` row.
  init(row: Row) throws {
    id = try row.decode(forColumn: "id")
    organizationId = try row.decode(forColumn: "organization_id")
    crisisEpisodeId = try row.decode(forColumn: "crisis_episode_id")
    chartId = try row.decode(forColumn: "chart_id")
    crisisType = try row.decode(forColumn: "crisis_type")
    riskLevel = try row.decode(forColumn: "risk_level")
    supervisorId = try row.decode(forColumn: "supervisor_id")
    sourceEventId = try row.decode(forColumn: "source_event_id")
    createdAt = try row.decode(forColumn: "created_at")
  }
}
