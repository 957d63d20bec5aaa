/// `data` of `REGISTRATION.patient.vital-status-changed` (001 §2.3).
public struct PatientVitalStatusChangedData: Codable, Sendable, Hashable {
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// Patient (UUID).
  public var patientId: String
  /// Stable patient id (UUID).
  public var stablePatientId: String
  /// Deceased status after the change.
  public var deceased: Bool
  /// RFC 3339 date-time of death, or null.
  public var deceasedDateTime: String?
  /// True when a prior deceased state was overwritten.
  public var isCorrection: Bool

  /// Creates the value; field names and meanings as in the seed.
  public init(
    tenantId: String, patientId: String, stablePatientId: String, deceased: Bool,
    deceasedDateTime: String? = nil, isCorrection: Bool
  ) {
    self.tenantId = tenantId
    self.patientId = patientId
    self.stablePatientId = stablePatientId
    self.deceased = deceased
    self.deceasedDateTime = deceasedDateTime
    self.isCorrection = isCorrection
  }
}
