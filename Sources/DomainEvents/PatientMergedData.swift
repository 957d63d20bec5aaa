/// `data` of `REGISTRATION.patient.merged` (001 §2.6): `sourceId` was merged into `survivorId`.
public struct PatientMergedData: Codable, Sendable, Hashable {
  /// Surviving patient (UUID).
  public var survivorId: String
  /// Merged (deactivated) patient (UUID).
  public var sourceId: String
  /// Stable id of the survivor (UUID).
  public var stableSurvivorId: String
  /// Stable id of the source (UUID).
  public var stableSourceId: String
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// An unidentified patient took part.
  public var involvedUnidentified: Bool
  /// A provisional patient took part.
  public var involvedProvisional: Bool

  /// Creates the value; field names and meanings as in the seed.
  public init(
    survivorId: String, sourceId: String, stableSurvivorId: String, stableSourceId: String, tenantId: String,
    involvedUnidentified: Bool, involvedProvisional: Bool
  ) {
    self.survivorId = survivorId
    self.sourceId = sourceId
    self.stableSurvivorId = stableSurvivorId
    self.stableSourceId = stableSourceId
    self.tenantId = tenantId
    self.involvedUnidentified = involvedUnidentified
    self.involvedProvisional = involvedProvisional
  }
}
