/// `payload` of `cl_care_gap_identified` (004, Event 4): a care gap rule found an open gap.
public struct CareGapIdentifiedPayload: Codable, Sendable, Hashable {
  /// cl_care_gaps.id (UUID).
  public var entity_id: String
  /// Always `care_gap`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// e.g. `hedis_amm`, `hedis_fuh`, `hedis_fum`, `hedis_iet`, `preventive_screening`.
  public var gap_type: String
  /// HEDIS measure identifier (free text, not a UUID).
  public var measure_id: String
  /// Human-readable measure description.
  public var gap_description: String
  /// ISO date or RFC 3339 date-time.
  public var due_date: String?
  /// Always `info`.
  public var severity: String
  /// Always `Review and close care gap`.
  public var action_required: String
  /// Attributed care manager (UUID).
  public var care_manager_id: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "care_gap", chart_id: String, gap_type: String,
    measure_id: String, gap_description: String, due_date: String? = nil, severity: String = "info",
    action_required: String = "Review and close care gap", care_manager_id: String? = nil
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.gap_type = gap_type
    self.measure_id = measure_id
    self.gap_description = gap_description
    self.due_date = due_date
    self.severity = severity
    self.action_required = action_required
    self.care_manager_id = care_manager_id
  }
}
