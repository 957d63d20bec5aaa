/// `data` of `REGISTRATION.encounter.registered` (001 §2.8).
public struct EncounterRegisteredData: Codable, Sendable, Hashable {
  /// Encounter (UUID).
  public var encounterId: String
  /// Patient (UUID).
  public var patientId: String
  /// Stable patient id (UUID).
  public var stablePatientId: String
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// Encounter class code, e.g. `AMB` (non-empty).
  public var encounterType: String
  /// Encounter status, e.g. `planned` (non-empty).
  public var status: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    encounterId: String, patientId: String, stablePatientId: String, tenantId: String, encounterType: String,
    status: String
  ) {
    self.encounterId = encounterId
    self.patientId = patientId
    self.stablePatientId = stablePatientId
    self.tenantId = tenantId
    self.encounterType = encounterType
    self.status = status
  }
}
