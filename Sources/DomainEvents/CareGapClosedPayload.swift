/// `payload` of `cl_care_gap_closed` (004, Event 8): a care gap was closed.
public struct CareGapClosedPayload: Codable, Sendable, Hashable {
  /// cl_care_gaps.id (UUID).
  public var entity_id: String
  /// Always `care_gap`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// Gap type, as in `cl_care_gap_identified`.
  public var gap_type: String
  /// e.g. `service_completed`, `clinician_override`.
  public var closure_type: String
  /// pf_profiles.id (UUID); `SystemActor.profileID` for cron.
  public var closed_by: String
  /// RFC 3339 date-time.
  public var closed_at: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "care_gap", chart_id: String, gap_type: String,
    closure_type: String, closed_by: String, closed_at: String
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.gap_type = gap_type
    self.closure_type = closure_type
    self.closed_by = closed_by
    self.closed_at = closed_at
  }
}
