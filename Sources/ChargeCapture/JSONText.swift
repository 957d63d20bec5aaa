import Foundation

/// The JSON text stored in the JSON columns (arrays of codes, units, reasons).
enum JSONText {
  /// `["a","b"]`. Encoding an array of strings or integers cannot fail; an empty array is the fallback.
  static func encode<T: Encodable>(_ value: [T]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }

  /// Decodes a stored JSON array; `nil` text gives `nil`.
  static func decode<T: Decodable>(_ text: String?, as type: [T].Type) throws -> [T]? {
    guard let text else { return nil }
    return try JSONDecoder().decode(type, from: Data(text.utf8))
  }
}
