extension JSONValue {
  /// The value as compact UTF-8 JSON (RFC 8259), or indented with two spaces when `prettyPrinted`.
  ///
  /// With `sortedKeys` (the default) object members are written in key order, so equal values
  /// serialize to equal bytes. Integers are written exactly; non-finite doubles (which JSON cannot
  /// express) are written as `null`.
  public func serialized(sortedKeys: Bool = true, prettyPrinted: Bool = false) -> [UInt8] {
    var output: [UInt8] = []
    write(into: &output, sortedKeys: sortedKeys, indent: prettyPrinted ? 0 : nil)
    return output
  }

  /// ``serialized(sortedKeys:prettyPrinted:)`` as a `String`.
  public func serializedString(sortedKeys: Bool = true, prettyPrinted: Bool = false) -> String {
    String(decoding: serialized(sortedKeys: sortedKeys, prettyPrinted: prettyPrinted), as: UTF8.self)
  }

  private func write(into output: inout [UInt8], sortedKeys: Bool, indent: Int?) {
    switch self {
    case .null:
      output.append(contentsOf: Array("null".utf8))
    case .bool(let value):
      output.append(contentsOf: Array((value ? "true" : "false").utf8))
    case .int(let value):
      output.append(contentsOf: Array(String(value).utf8))
    case .number(let value):
      output.append(contentsOf: Array(Self.formatDouble(value).utf8))
    case .string(let value):
      Self.writeString(value, into: &output)
    case .array(let elements):
      output.append(UInt8(ascii: "["))
      for (position, element) in elements.enumerated() {
        if position > 0 { output.append(UInt8(ascii: ",")) }
        Self.newline(into: &output, indent: indent.map { $0 + 1 })
        element.write(into: &output, sortedKeys: sortedKeys, indent: indent.map { $0 + 1 })
      }
      if !elements.isEmpty { Self.newline(into: &output, indent: indent) }
      output.append(UInt8(ascii: "]"))
    case .object(let members):
      output.append(UInt8(ascii: "{"))
      let keys = sortedKeys ? members.keys.sorted() : Array(members.keys)
      for (position, key) in keys.enumerated() {
        if position > 0 { output.append(UInt8(ascii: ",")) }
        Self.newline(into: &output, indent: indent.map { $0 + 1 })
        Self.writeString(key, into: &output)
        output.append(UInt8(ascii: ":"))
        if indent != nil { output.append(UInt8(ascii: " ")) }
        (members[key] ?? .null).write(into: &output, sortedKeys: sortedKeys, indent: indent.map { $0 + 1 })
      }
      if !members.isEmpty { Self.newline(into: &output, indent: indent) }
      output.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(into output: inout [UInt8], indent: Int?) {
    guard let indent else { return }
    output.append(0x0A)
    output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
  }

  private static func formatDouble(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    // Swift's description is the shortest text that round-trips, e.g. "1.5", "1e-05", "1e+16".
    return value.description
  }

  private static func writeString(_ value: String, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x00..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        output.append(contentsOf: Array("\\u00".utf8))
        output.append(hex[Int(byte >> 4)])
        output.append(hex[Int(byte & 0x0F)])
      default:
        output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }
}
