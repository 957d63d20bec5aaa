/// Writes JSON string literals (RFC 8259) byte-identical to Foundation's `JSONEncoder`: `"` and
/// `\` escaped, control characters as the short escapes or `\u00XX`, `/` as `\/` unless
/// `.withoutEscapingSlashes` is wanted, everything else as UTF-8. One place for the hand-written
/// JSON writers of the hot paths (CloudEvents, notification bodies, stored code lists).
public enum JSONStringLiteral {
  /// Appends `value` as a quoted JSON string.
  /// - Parameter escapingSlashes: `true` writes `/` as `\/` (JSONEncoder's default output).
  public static func append(_ value: String, to out: inout [UInt8], escapingSlashes: Bool = false) {
    out.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case UInt8(ascii: "/") where escapingSlashes:
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case 0x00..<0x20:
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
      default:
        out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
