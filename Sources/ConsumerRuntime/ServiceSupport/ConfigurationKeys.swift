import DomainEvents

/// Strict decoding for the services' configuration files (CONFIG_FILE): a misspelled key fails
/// loudly instead of silently falling back to a default (a typo in `max_active` or in an escalation
/// path must never turn into the default).
public enum ConfigurationKeys {
  /// A coding key for any member name.
  public struct AnyKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
  }

  /// Throws `DecodingError.dataCorrupted` naming the first member not in `allowed`.
  public static func rejectUnknown(in decoder: any Decoder, allowed: [String]) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    let allowedSet = Set(allowed)
    for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
    where !allowedSet.contains(key.stringValue) {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: container.codingPath + [key],
          debugDescription: "unknown key (allowed: \(allowed.joined(separator: ", ")))"))
    }
  }

  /// A dotted path (`organizations.<org>.escalation_profile_ids[0]`).
  public static func path(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text
  }

  /// Decodes the per-organization file shape the services share,
  /// `{"organizations": {"<org uuid>": S}, "defaults": S}`: both keys optional, no other top-level
  /// key, and every organization key a UUID (else `DecodingError.dataCorrupted` at
  /// `organizations.<key>`). Missing `defaults` gives `emptyDefaults`.
  public static func decodeOrganizationFile<Settings: Decodable>(
    from decoder: any Decoder, emptyDefaults: @autoclosure () -> Settings
  ) throws -> (organizations: [String: Settings], defaults: Settings) {
    let organizationsKey = AnyKey(stringValue: "organizations")
    let defaultsKey = AnyKey(stringValue: "defaults")
    try rejectUnknown(in: decoder, allowed: [organizationsKey.stringValue, defaultsKey.stringValue])
    let container = try decoder.container(keyedBy: AnyKey.self)
    let organizations =
      try container.decodeIfPresent([String: Settings].self, forKey: organizationsKey) ?? [:]
    for key in organizations.keys.sorted() where !ContractFormat.isUUID(key) {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: [organizationsKey, AnyKey(stringValue: key)],
          debugDescription: "organization keys must be UUIDs"))
    }
    return (
      organizations, try container.decodeIfPresent(Settings.self, forKey: defaultsKey) ?? emptyDefaults()
    )
  }
}
