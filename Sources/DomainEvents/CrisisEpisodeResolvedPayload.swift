/// `payload` of `cl_crisis_episode_resolved` (003, Event 4): a crisis episode was dispositioned with a
/// billing code; PM-07 creates a crisis charge suggestion.
public struct CrisisEpisodeResolvedPayload: Codable, Sendable, Hashable {
  /// cl_crisis_episodes.id (UUID).
  public var entity_id: String
  /// Always `crisis_episode`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// `walk_in`, `mobile`, `observation_23hr`, `phone` or `telehealth` (004 list).
  public var crisis_type: String
  /// ISO date `YYYY-MM-DD`.
  public var service_date: String
  /// e.g. `S9484`, `S9485`, `H2011`, `90839`, `90840`.
  public var billing_code: String
  /// Duration in minutes (≥ 0); drives units for time-based codes.
  public var duration_minutes: Int?
  /// Rendering provider (UUID).
  public var rendering_provider_id: String
  /// pm_encounters.id (UUID) when linked.
  public var encounter_id: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "crisis_episode", chart_id: String, crisis_type: String,
    service_date: String, billing_code: String, duration_minutes: Int? = nil, rendering_provider_id: String,
    encounter_id: String? = nil
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.crisis_type = crisis_type
    self.service_date = service_date
    self.billing_code = billing_code
    self.duration_minutes = duration_minutes
    self.rendering_provider_id = rendering_provider_id
    self.encounter_id = encounter_id
  }
}
