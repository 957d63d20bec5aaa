/// `payload` of `cl_moud_adherence_risk` (004, Event 3): a MOUD adherence score dropped below threshold.
public struct MoudAdherenceRiskPayload: Codable, Sendable, Hashable {
  /// cl_moud_enrollments.id (UUID).
  public var entity_id: String
  /// Always `moud_enrollment`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// e.g. `missed_uds`, `missed_appointment`, `dose_reduction`.
  public var risk_factors: [String]
  /// Adherence score, integer 0...100.
  public var adherence_score: Int
  /// The score that triggered the alert, integer 0...100.
  public var threshold: Int
  /// Always `critical`.
  public var severity: String
  /// Always `Urgent clinical review — MOUD adherence risk`.
  public var action_required: String
  /// Assigned clinician (UUID).
  public var assigned_clinician_id: String
  /// Clinical supervisor (UUID).
  public var supervisor_id: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "moud_enrollment", chart_id: String, risk_factors: [String],
    adherence_score: Int, threshold: Int, severity: String = "critical",
    action_required: String = "Urgent clinical review — MOUD adherence risk", assigned_clinician_id: String,
    supervisor_id: String
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.risk_factors = risk_factors
    self.adherence_score = adherence_score
    self.threshold = threshold
    self.severity = severity
    self.action_required = action_required
    self.assigned_clinician_id = assigned_clinician_id
    self.supervisor_id = supervisor_id
  }
}
