/// `payload` of `cl_restraint_event_initiated` (004, Event 6): restraint or seclusion physically started
/// (42 CFR 482.13).
public struct RestraintEventInitiatedPayload: Codable, Sendable, Hashable {
  /// cl_restraint_seclusion_events.id (UUID).
  public var entity_id: String
  /// Always `restraint_seclusion_event`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// e.g. `restraint`, `seclusion`, `both`.
  public var event_type: String
  /// e.g. `adult`, `adolescent`, `child`.
  public var patient_age_group: String
  /// Age-based regulatory limit in hours (≥ 0).
  public var max_duration_hours: Double
  /// RFC 3339 date-time.
  public var initiation_time: String
  /// Always `critical`.
  public var severity: String
  /// Action text (free text, non-empty).
  public var action_required: String
  /// Related crisis episode (UUID).
  public var crisis_episode_id: String?
  /// Supervisor to alert (UUID).
  public var supervisor_id: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "restraint_seclusion_event", chart_id: String,
    event_type: String, patient_age_group: String, max_duration_hours: Double, initiation_time: String,
    severity: String = "critical", action_required: String, crisis_episode_id: String? = nil,
    supervisor_id: String? = nil
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.event_type = event_type
    self.patient_age_group = patient_age_group
    self.max_duration_hours = max_duration_hours
    self.initiation_time = initiation_time
    self.severity = severity
    self.action_required = action_required
    self.crisis_episode_id = crisis_episode_id
    self.supervisor_id = supervisor_id
  }
}
