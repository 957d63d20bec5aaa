/// The `metadata` object every CL/PM, CL/FW, FA, CE-29 and PM contract carries (003, 004).
///
/// Property names are the seed's field names. `event_id` is the CloudEvents `id` and the dedupe
/// key of most contracts; `correlation_id` is free text (TEXT in the ledger); `timestamp` is an
/// RFC 3339 date-time kept as sent. System publishers use `SystemActor.profileID` as `user_id`.
public struct EventMetadata: Codable, Sendable, Hashable {
  /// Tenant (pf_organizations.id, UUID).
  public var organization_id: String
  /// Site (UUID); required only by `cl_crisis_episode_opened`.
  public var site_id: String?
  /// Acting user (pf_profiles.id, UUID); `SystemActor.profileID` for automated publishers.
  public var user_id: String
  /// When the event happened (RFC 3339 date-time).
  public var timestamp: String
  /// Correlation id (free text).
  public var correlation_id: String
  /// Event id (UUID), equal to the CloudEvents `id`.
  public var event_id: String

  /// Creates the metadata object.
  public init(
    organization_id: String, site_id: String? = nil, user_id: String, timestamp: String,
    correlation_id: String, event_id: String
  ) {
    self.organization_id = organization_id
    self.site_id = site_id
    self.user_id = user_id
    self.timestamp = timestamp
    self.correlation_id = correlation_id
    self.event_id = event_id
  }
}
