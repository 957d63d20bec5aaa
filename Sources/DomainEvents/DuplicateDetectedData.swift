/// `data` of `REGISTRATION.patient.duplicate-detected` (001 §2.4): no patient row was created, so the
/// dedupe key uses `tenantId`.
public struct DuplicateDetectedData: Codable, Sendable, Hashable {
  /// Tenant (UUID); the event's organization.
  public var tenantId: String
  /// Number of matches (≥ 0).
  public var matchCount: Int
  /// Matching patients (UUIDs).
  public var matchIds: [String]
  /// Matches with MRN and score.
  public var matches: [DuplicateMatch]

  /// Creates the value; field names and meanings as in the seed.
  public init(tenantId: String, matchCount: Int, matchIds: [String], matches: [DuplicateMatch]) {
    self.tenantId = tenantId
    self.matchCount = matchCount
    self.matchIds = matchIds
    self.matches = matches
  }
}
