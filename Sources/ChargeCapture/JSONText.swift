import CloudEvents
import Foundation

/// The JSON text stored in the JSON columns (arrays of codes, units, reasons).
enum JSONText {
  /// `["a","b"]`, byte-identical to `JSONEncoder` with `.withoutEscapingSlashes` (what these
  /// columns always held) without its per-call cost (this runs for every suggestion).
  static func encode(_ value: [String]) -> String {
    var out: [UInt8] = [UInt8(ascii: "[")]
    for (index, text) in value.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      JSONStringLiteral.append(text, to: &out)
    }
    out.append(UInt8(ascii: "]"))
    return String(decoding: out, as: UTF8.self)
  }

  /// `[1,2]` written directly (see `encode(_: [String])`).
  static func encode(_ value: [Int]) -> String {
    "[" + value.map(String.init).joined(separator: ",") + "]"
  }

  /// Decodes a stored JSON array; `nil` text gives `nil`.
  static func decode<T: Decodable>(_ text: String?, as type: [T].Type) throws -> [T]? {
    guard let text else { return nil }
    return try JSONDecoder().decode(type, from: Data(text.utf8))
  }
}
