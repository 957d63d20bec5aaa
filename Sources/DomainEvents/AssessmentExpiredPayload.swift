/// `payload` of `cl_assessment_expired` (004, Event 1): an assessment is overdue.
public struct AssessmentExpiredPayload: Codable, Sendable, Hashable {
  /// cl_assessments.id (UUID).
  public var entity_id: String
  /// Always `assessment`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// e.g. `comprehensive`, `calocus`, `asam`, `phq9`.
  public var assessment_type: String
  /// ISO date `YYYY-MM-DD`.
  public var original_due_date: String
  /// Days past the due date (≥ 0).
  public var days_overdue: Int
  /// Always `warning`.
  public var severity: String
  /// Always `Schedule and complete reassessment`.
  public var action_required: String
  /// Treating clinician (UUID).
  public var assigned_clinician_id: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "assessment", chart_id: String, assessment_type: String,
    original_due_date: String, days_overdue: Int, severity: String = "warning",
    action_required: String = "Schedule and complete reassessment", assigned_clinician_id: String
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.assessment_type = assessment_type
    self.original_due_date = original_due_date
    self.days_overdue = days_overdue
    self.severity = severity
    self.action_required = action_required
    self.assigned_clinician_id = assigned_clinician_id
  }
}
