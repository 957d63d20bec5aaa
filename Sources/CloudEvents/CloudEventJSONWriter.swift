/// Internal: appends JSON text for the structured format, in a fixed member order so the same
/// event always encodes to the same bytes.
struct CloudEventJSONWriter {
  private(set) var bytes: [UInt8]
  private var hasMembers = false

  /// A writer whose buffer already holds `capacity` bytes (the attributes and the data fit
  /// without growing it).
  init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
    bytes.append(UInt8(ascii: "{"))
  }

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

  /// A JSON string literal (`JSONStringLiteral`, slashes not escaped).
  static func appendString(_ value: String, to out: inout [UInt8]) {
    JSONStringLiteral.append(value, to: &out)
  }
}
