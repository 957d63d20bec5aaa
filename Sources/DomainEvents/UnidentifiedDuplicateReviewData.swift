/// `data` of `REGISTRATION.patient.unidentified-duplicate-review` (001 §2.5).
public struct UnidentifiedDuplicateReviewData: Codable, Sendable, Hashable {
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// The unidentified patient just created (UUID).
  public var newPatientId: String
  /// Its medical record number (non-empty).
  public var mrn: String
  /// Its temporary enterprise key (non-empty).
  public var temporaryEnterpriseKey: String
  /// Number of matches (≥ 0).
  public var matchCount: Int
  /// Weak matches with MRN and score.
  public var matches: [DuplicateMatch]

  /// Creates the value; field names and meanings as in the seed.
  public init(
    tenantId: String, newPatientId: String, mrn: String, temporaryEnterpriseKey: String, matchCount: Int,
    matches: [DuplicateMatch]
  ) {
    self.tenantId = tenantId
    self.newPatientId = newPatientId
    self.mrn = mrn
    self.temporaryEnterpriseKey = temporaryEnterpriseKey
    self.matchCount = matchCount
    self.matches = matches
  }
}
