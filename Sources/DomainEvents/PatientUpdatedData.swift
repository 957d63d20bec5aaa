/// `data` of `REGISTRATION.patient.updated` (001 §2.2): the patient.created fields; `mrn` may be
/// omitted.
public struct PatientUpdatedData: Codable, Sendable, Hashable {
  /// Patient (UUID).
  public var patientId: String
  /// Stable patient id (UUID).
  public var stablePatientId: String
  /// Medical record number (non-empty when present).
  public var mrn: String?
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// Unidentified flag after the update.
  public var isUnidentified: Bool
  /// Provisional flag after the update.
  public var isProvisional: Bool
  /// Newborn flag after the update.
  public var isNewborn: Bool
  /// Temporary enterprise key, or null.
  public var temporaryEnterpriseKey: String?
  /// RFC 3339 date-time, or null.
  public var unidentifiedSlaDueAt: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    patientId: String, stablePatientId: String, mrn: String? = nil, tenantId: String, isUnidentified: Bool,
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
    try container.encodeIfPresent(mrn, forKey: .mrn)
    try container.encode(tenantId, forKey: .tenantId)
    try container.encode(isUnidentified, forKey: .isUnidentified)
    try container.encode(isProvisional, forKey: .isProvisional)
    try container.encode(isNewborn, forKey: .isNewborn)
    try container.encode(temporaryEnterpriseKey, forKey: .temporaryEnterpriseKey)
    try container.encode(unidentifiedSlaDueAt, forKey: .unidentifiedSlaDueAt)
  }
}
