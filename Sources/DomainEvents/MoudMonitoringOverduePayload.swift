/// `payload` of `cl_moud_monitoring_overdue` (004, Event 2): a MOUD monitoring checkpoint is overdue.
public struct MoudMonitoringOverduePayload: Codable, Sendable, Hashable {
  /// cl_moud_enrollments.id (UUID).
  public var entity_id: String
  /// Always `moud_enrollment`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// e.g. `uds`, `vital_signs`, `lab_work`, `clinical_review`.
  public var monitoring_type: String
  /// ISO date or RFC 3339 date-time.
  public var expected_date: String
  /// Days past the expected date (≥ 0).
  public var days_overdue: Int
  /// e.g. `buprenorphine`, `naltrexone`, `methadone`.
  public var medication: String
  /// Always `warning`.
  public var severity: String
  /// Always `Complete overdue MOUD monitoring`.
  public var action_required: String
  /// Assigned clinician (UUID).
  public var assigned_clinician_id: String
  /// Care team members (UUIDs).
  public var care_team_ids: [String]

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "moud_enrollment", chart_id: String, monitoring_type: String,
    expected_date: String, days_overdue: Int, medication: String, severity: String = "warning",
    action_required: String = "Complete overdue MOUD monitoring", assigned_clinician_id: String,
    care_team_ids: [String]
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.monitoring_type = monitoring_type
    self.expected_date = expected_date
    self.days_overdue = days_overdue
    self.medication = medication
    self.severity = severity
    self.action_required = action_required
    self.assigned_clinician_id = assigned_clinician_id
    self.care_team_ids = care_team_ids
  }
}
