/// `data` of `REGISTRATION.patient.created` (001 §2.1).
public struct PatientCreatedData: Codable, Sendable, Hashable {
  /// Patient (UUID).
  public var patientId: String
  /// Stable patient id (UUID).
  public var stablePatientId: String
  /// Medical record number (non-empty).
  public var mrn: String
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// Created as unidentified.
  public var isUnidentified: Bool
  /// Created as provisional.
  public var isProvisional: Bool
  /// Created as a newborn.
  public var isNewborn: Bool
  /// Temporary enterprise key of an unidentified patient, or null.
  public var temporaryEnterpriseKey: String?
  /// RFC 3339 date-time by which an unidentified patient must be identified, or null.
  public var unidentifiedSlaDueAt: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    patientId: String, stablePatientId: String, mrn: String, tenantId: String, isUnidentified: Bool,
    isProvisional: Bool, isNewborn: Bool, temporaryEnterpriseKey: String? = nil,
    unidentifiedSlaDueAt: String? = nil
  ) {
    self.patientId = patientId
    self.stablePatientId = stablePatientId
    self.mrn = mrn
    self.tenantId = tenantId
    self.isUnidentified = isUnidentified
    self.isProvisional = isProvisional
    self.isNewborn = isNewborn
    self.temporaryEnterpriseKey = temporaryEnterpriseKey
    self.unidentifiedSlaDueAt = unidentifiedSlaDueAt
  }

  private enum CodingKeys: String, CodingKey {
    case patientId, stablePatientId, mrn, tenantId, isUnidentified, isProvisional, isNewborn,
      temporaryEnterpriseKey, unidentifiedSlaDueAt
  }

  /// Encodes every field; `temporaryEnterpriseKey`, `unidentifiedSlaDueAt` as `null` when absent, as in the seed example.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(patientId, forKey: .patientId)
    try container.encode(stablePatientId, forKey: .stablePatientId)
    try container.encode(mrn, forKey: .mrn)
    try container.encode(tenantId, forKey: .tenantId)
    try container.encode(isUnidentified, forKey: .isUnidentified)
    try container.encode(isProvisional, forKey: .isProvisional)
    try container.encode(isNewborn, forKey: .isNewborn)
    try container.encode(temporaryEnterpriseKey, forKey: .temporaryEnterpriseKey)
    try container.encode(unidentifiedSlaDueAt, forKey: .unidentifiedSlaDueAt)
  }
}
