/// Strict decoding helpers for the configuration file: a misspelled key must fail loudly rather
/// than silently fall back to a default (for billing settings a silent default changes what posts).
enum ConfigurationKeys {
  /// A coding key for any member name.
  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Throws `DecodingError.dataCorrupted` naming the first member of the object being decoded that
  /// is not in `allowed`.
  static func rejectUnknown(in decoder: any Decoder, allowed: [String]) throws {
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
}
