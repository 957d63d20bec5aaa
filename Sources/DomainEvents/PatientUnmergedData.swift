/// `data` of `REGISTRATION.patient.unmerged` (001 §2.7): `sourceId` was reactivated.
public struct PatientUnmergedData: Codable, Sendable, Hashable {
  /// Former survivor (UUID).
  public var survivorId: String
  /// Reactivated patient (UUID).
  public var sourceId: String
  /// Stable id of the survivor (UUID).
  public var stableSurvivorId: String
  /// Stable id of the source (UUID).
  public var stableSourceId: String
  /// Tenant (UUID); the event's organization.
  public var tenantId: String

  /// Creates the value; field names and meanings as in the seed.
  public init(
    survivorId: String, sourceId: String, stableSurvivorId: String, stableSourceId: String, tenantId: String
  ) {
    self.survivorId = survivorId
    self.sourceId = sourceId
    self.stableSurvivorId = stableSurvivorId
    self.stableSourceId = stableSourceId
    self.tenantId = tenantId
  }
}
