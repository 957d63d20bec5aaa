/// Internal: appends JSON text for the structured format, in a fixed member order so the same
/// event always encodes to the same bytes.
struct CloudEventJSONWriter {
  private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
  private var hasMembers = false

  /// Appends `"name":` (with a leading comma when needed).
  private mutating func memberName(_ name: String) {
    if hasMembers { bytes.append(UInt8(ascii: ",")) }
    hasMembers = true
    Self.appendString(name, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
  }

  mutating func string(_ name: String, _ value: String) {
    memberName(name)
    Self.appendString(value, to: &bytes)
  }

  mutating func bool(_ name: String, _ value: Bool) {
    memberName(name)
    bytes.append(contentsOf: Array((value ? "true" : "false").utf8))
  }

  mutating func integer(_ name: String, _ value: Int64) {
    memberName(name)
    bytes.append(contentsOf: Array(String(value).utf8))
  }

  /// Appends already-valid JSON text as the member's value.
  mutating func raw(_ name: String, _ json: [UInt8]) {
    memberName(name)
    bytes.append(contentsOf: json)
  }

  /// Closes the object and returns the document.
  mutating func finish() -> [UInt8] {
    bytes.append(UInt8(ascii: "}"))
    return bytes
  }

  /// A JSON string literal: `"` and `\` escaped, control characters as short escapes or `\u00XX`,
  /// everything else as UTF-8.
  static func appendString(_ value: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case 0x00..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0x0F)])
      default:
        out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
