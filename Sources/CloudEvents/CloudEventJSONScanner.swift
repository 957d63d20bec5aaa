/// Internal: a strict RFC 8259 JSON scanner that reports, for each member of a top-level object,
/// its name, its kind and the exact byte range of its value in the input.
///
/// The byte ranges let `CloudEventJSONFormat.decode` keep `data` as the raw JSON text it was
/// sent as, so a decode → encode round trip is byte-exact. Nested values are validated and
/// skipped. Never traps: malformed input, invalid UTF-8 and nesting deeper than
/// `maximumDepth` are reported as `CloudEventSyntaxViolation`.
struct CloudEventJSONScanner {
  /// What a JSON value is.
  enum Kind: Sendable, Hashable {
    case object
    case array
    case string(String)
    case number
    case bool(Bool)
    case null

    /// The JSON type name, for error messages.
    var typeName: String {
      switch self {
      case .object: return "object"
      case .array: return "array"
      case .string: return "string"
      case .number: return "number"
      case .bool: return "boolean"
      case .null: return "null"
      }
    }
  }

  /// One member of the top-level object.
  struct Member: Sendable, Hashable {
    var name: String
    var kind: Kind
    /// Where the value's text is in the input (no surrounding whitespace).
    var range: Range<Int>
  }

  /// The result of scanning a whole document.
  enum Document: Sendable, Hashable {
    /// The document is an object; members in input order, names unique.
    case object([Member])
    /// The document is some other JSON value.
    case other(Kind)
  }

  /// Deeper nesting is rejected so that hostile input cannot exhaust the stack.
  static let maximumDepth = 200

  private let bytes: [UInt8]
  private var index = 0

  private init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Scans a complete JSON document (whitespace allowed around the value).
  static func scanDocument(_ bytes: [UInt8]) throws(CloudEventSyntaxViolation) -> Document {
    var scanner = CloudEventJSONScanner(bytes)
    scanner.skipWhitespace()
    let document: Document
    if scanner.peek() == UInt8(ascii: "{") {
      document = .object(try scanner.topLevelObject())
    } else {
      document = .other(try scanner.value(depth: 0))
    }
    scanner.skipWhitespace()
    guard scanner.index == bytes.count else {
      throw scanner.violation("found \(scanner.describeCurrent()) after the JSON value")
    }
    return document
  }

  /// Whether `bytes` is exactly one JSON value with no whitespace around it.
  static func isBareJSONValue(_ bytes: [UInt8]) -> Bool {
    var scanner = CloudEventJSONScanner(bytes)
    do {
      _ = try scanner.value(depth: 0)
    } catch {
      return false
    }
    return scanner.index == bytes.count
  }

  // MARK: - Grammar

  private mutating func topLevelObject() throws(CloudEventSyntaxViolation) -> [Member] {
    index += 1  // '{'
    var members: [Member] = []
    var names: Set<String> = []
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      return members
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else {
        throw violation("expected a member name, found \(describeCurrent())")
      }
      let nameOffset = index
      let name = try string()
      guard names.insert(name).inserted else {
        throw CloudEventSyntaxViolation("duplicate member \"\(name)\" at byte offset \(nameOffset)")
      }
      skipWhitespace()
      try expect(UInt8(ascii: ":"))
      skipWhitespace()
      let start = index
      let kind = try value(depth: 1)
      members.append(Member(name: name, kind: kind, range: start..<index))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "}"))
      return members
    }
  }

  /// Reads one value. `keepString: false` validates a string value without building it (nested
  /// values are only validated and skipped, so their strings are never needed).
  private mutating func value(depth: Int, keepString: Bool = true) throws(CloudEventSyntaxViolation) -> Kind {
    guard depth <= Self.maximumDepth else {
      throw violation("JSON is nested more than \(Self.maximumDepth) levels deep")
    }
    guard let byte = peek() else { throw violation("unexpected end of input, expected a value") }
    switch byte {
    case UInt8(ascii: "{"):
      try nestedObject(depth: depth)
      return .object
    case UInt8(ascii: "["):
      try array(depth: depth)
      return .array
    case UInt8(ascii: "\""):
      guard keepString else {
        try skipString()
        return .string("")
      }
      return .string(try string())
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try number()
      return .number
    default:
      throw violation("expected a value, found \(describeCurrent())")
    }
  }

  private mutating func nestedObject(depth: Int) throws(CloudEventSyntaxViolation) {
    index += 1  // '{'
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else {
        throw violation("expected a member name, found \(describeCurrent())")
      }
      try skipString()
      skipWhitespace()
      try expect(UInt8(ascii: ":"))
      skipWhitespace()
      _ = try value(depth: depth + 1, keepString: false)
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "}"))
      return
    }
  }

  private mutating func array(depth: Int) throws(CloudEventSyntaxViolation) {
    index += 1  // '['
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      index += 1
      return
    }
    while true {
      skipWhitespace()
      _ = try value(depth: depth + 1, keepString: false)
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "]"))
      return
    }
  }

  /// Reads a string starting at its opening quote and returns its unescaped value.
  private mutating func string() throws(CloudEventSyntaxViolation) -> String {
    let start = index
    index += 1  // '"'
    var buffer: [UInt8] = []
    while true {
      guard let byte = peek() else {
        throw CloudEventSyntaxViolation("unterminated string at byte offset \(start)")
      }
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        guard let text = String(validating: buffer, as: UTF8.self) else {
          throw CloudEventSyntaxViolation("invalid UTF-8 in the string at byte offset \(start)")
        }
        return text
      case UInt8(ascii: "\\"):
        index += 1
        try escape(into: &buffer)
      case 0x00..<0x20:
        throw violation("unescaped control character in a string")
      default:
        buffer.append(byte)
        index += 1
      }
    }
  }

  /// Validates a string starting at its opening quote exactly as `string()` does (same errors),
  /// without building its value: ASCII bytes are skipped, UTF-8 is checked only when a non-ASCII
  /// byte was seen.
  private mutating func skipString() throws(CloudEventSyntaxViolation) {
    let start = index
    index += 1  // '"'
    var ascii = true
    var scratch: [UInt8] = []
    while true {
      guard let byte = peek() else {
        throw CloudEventSyntaxViolation("unterminated string at byte offset \(start)")
      }
      switch byte {
      case UInt8(ascii: "\""):
        if !ascii, String(validating: bytes[(start + 1)..<index], as: UTF8.self) == nil {
          throw CloudEventSyntaxViolation("invalid UTF-8 in the string at byte offset \(start)")
        }
        index += 1
        return
      case UInt8(ascii: "\\"):
        index += 1
        try escape(into: &scratch)
        scratch.removeAll(keepingCapacity: true)
      case 0x00..<0x20:
        throw violation("unescaped control character in a string")
      default:
        if byte >= 0x80 { ascii = false }
        index += 1
      }
    }
  }

  private mutating func escape(into buffer: inout [UInt8]) throws(CloudEventSyntaxViolation) {
    guard let byte = peek() else { throw violation("unexpected end of input in an escape") }
    index += 1
    if let value = JSONEscape.shortEscapeValue(byte) {
      buffer.append(value)
      return
    }
    guard byte == UInt8(ascii: "u") else {
      index -= 1
      throw violation("invalid escape sequence")
    }
    var scalarValue = try hex4()
    if JSONEscape.isHighSurrogate(scalarValue) {
      guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
        throw violation("unpaired UTF-16 high surrogate in a \\u escape")
      }
      index += 2
      let low = try hex4()
      guard JSONEscape.isLowSurrogate(low) else {
        throw violation("UTF-16 high surrogate not followed by a low surrogate")
      }
      scalarValue = JSONEscape.scalarValue(high: scalarValue, low: low)
    } else if JSONEscape.isLowSurrogate(scalarValue) {
      throw violation("unpaired UTF-16 low surrogate in a \\u escape")
    }
    guard let scalar = Unicode.Scalar(scalarValue) else { throw violation("invalid \\u escape") }
    JSONEscape.appendUTF8(scalar, to: &buffer)
  }

  private mutating func hex4() throws(CloudEventSyntaxViolation) -> UInt32 {
    var result: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = peek() else { throw violation("unexpected end of input in a \\u escape") }
      guard let digit = JSONEscape.hexDigitValue(byte) else {
        throw violation("expected a hex digit in a \\u escape, found \(describeCurrent())")
      }
      result = result << 4 | digit
      index += 1
    }
    return result
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
  private mutating func number() throws(CloudEventSyntaxViolation) {
    if peek() == UInt8(ascii: "-") { index += 1 }
    guard let first = peek(), isDigit(first) else {
      throw violation("expected a digit in a number, found \(describeCurrent())")
    }
    index += 1
    if first != UInt8(ascii: "0") {
      while let byte = peek(), isDigit(byte) { index += 1 }
    }
    if peek() == UInt8(ascii: ".") {
      index += 1
      try digits(context: "after the decimal point")
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      try digits(context: "in the exponent")
    }
  }

  private mutating func digits(context: String) throws(CloudEventSyntaxViolation) {
    guard let byte = peek(), isDigit(byte) else {
      throw violation("expected a digit \(context), found \(describeCurrent())")
    }
    while let byte = peek(), isDigit(byte) { index += 1 }
  }

  private mutating func literal(_ word: StaticString) throws(CloudEventSyntaxViolation) {
    let expected = word.withUTF8Buffer { Array($0) }
    guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected
    else {
      throw violation("invalid literal (expected \(word))")
    }
    index += expected.count
  }

  // MARK: - Helpers

  private func peek(offset: Int = 0) -> UInt8? {
    let position = index + offset
    return position < bytes.count ? bytes[position] : nil
  }

  private mutating func expect(_ byte: UInt8) throws(CloudEventSyntaxViolation) {
    guard peek() == byte else {
      throw violation("expected '\(Character(Unicode.Scalar(byte)))', found \(describeCurrent())")
    }
    index += 1
  }

  private mutating func skipWhitespace() {
    while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// Names the current byte by its class only (structural characters verbatim), so that error
  /// text never quotes content from inside `data`.
  private func describeCurrent() -> String {
    guard let byte = peek() else { return "the end of input" }
    switch byte {
    case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
      UInt8(ascii: ":"), UInt8(ascii: "\""):
      return "'\(Character(Unicode.Scalar(byte)))'"
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return "a digit"
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return "a letter"
    case 0x00..<0x20: return "a control character"
    case 0x80...0xFF: return "a non-ASCII byte"
    default: return "another character"
    }
  }

  private func violation(_ message: String) -> CloudEventSyntaxViolation {
    CloudEventSyntaxViolation("\(message) at byte offset \(index)")
  }
}
