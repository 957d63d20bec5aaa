/// `payload` of `cl_crisis_episode_opened` (004, Event 5): a crisis episode was opened.
public struct CrisisEpisodeOpenedPayload: Codable, Sendable, Hashable {
  /// cl_crisis_episodes.id (UUID).
  public var entity_id: String
  /// Always `crisis_episode`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// `walk_in`, `mobile`, `observation_23hr`, `phone` or `telehealth`.
  public var crisis_type: String
  /// `high` or `imminent` trigger FW; other non-empty values are accepted.
  public var risk_level: String
  /// Always `critical`.
  public var severity: String
  /// Always `Crisis episode opened — immediate supervisor review`.
  public var action_required: String
  /// Assigned clinician (UUID).
  public var assigned_clinician_id: String
  /// Clinical supervisor (UUID).
  public var supervisor_id: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "crisis_episode", chart_id: String, crisis_type: String,
    risk_level: String, severity: String = "critical",
    action_required: String = "Crisis episode opened — immediate supervisor review",
    assigned_clinician_id: String, supervisor_id: String? = nil
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.crisis_type = crisis_type
    self.risk_level = risk_level
    self.severity = severity
    self.action_required = action_required
    self.assigned_clinician_id = assigned_clinician_id
    self.supervisor_id = supervisor_id
  }
}
