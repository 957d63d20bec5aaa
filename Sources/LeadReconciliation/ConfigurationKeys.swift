/// Strict decoding for configuration files: a misspelt key is an error, never silently ignored
/// (a typo in `max_active` must not turn into the default).
enum ConfigurationKeys {
  /// Any string key.
  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Throws `DecodingError.dataCorrupted` when the object being decoded has a key outside `allowed`.
  static func rejectUnknown(in decoder: any Decoder, allowed: [String]) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    let allowedSet = Set(allowed)
    if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowedSet.contains($0) })
    {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: container.codingPath + [AnyKey(stringValue: unknown)],
          debugDescription: "unknown key \"\(String(unknown.prefix(64)))\""))
    }
  }
}
