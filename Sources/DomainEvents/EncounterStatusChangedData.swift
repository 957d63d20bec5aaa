/// `data` of `REGISTRATION.encounter.status-changed` (001 §2.9).
public struct EncounterStatusChangedData: Codable, Sendable, Hashable {
  /// Encounter (UUID).
  public var encounterId: String
  /// Patient (UUID).
  public var patientId: String
  /// Stable patient id (UUID).
  public var stablePatientId: String
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// Status before, e.g. `planned` (non-empty).
  public var previousStatus: String
  /// Status after, e.g. `arrived` (non-empty).
  public var newStatus: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    encounterId: String, patientId: String, stablePatientId: String, tenantId: String, previousStatus: String,
    newStatus: String
  ) {
    self.encounterId = encounterId
    self.patientId = patientId
    self.stablePatientId = stablePatientId
    self.tenantId = tenantId
    self.previousStatus = previousStatus
    self.newStatus = newStatus
  }
}
