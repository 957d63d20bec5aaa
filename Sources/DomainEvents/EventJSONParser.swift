import CloudEvents

/// Internal: the fast path of `DomainEventDecoder`, a strict RFC 8259 parser from UTF-8 bytes
/// straight to `EventJSONValue`.
///
/// It only accepts input whose meaning it knows to be exactly what Foundation's `JSONDecoder`
/// gives through `EventJSONValue.init(from:)` (the reference path). For anything else it returns
/// `nil` and the caller takes the reference path, so results and errors stay the same:
/// - syntax errors, and the extensions `JSONDecoder` tolerates (trailing commas, a byte order mark,
///   UTF-16/32 input, trailing NUL bytes);
/// - invalid UTF-8, unpaired `\u` surrogates, duplicate member names (the reference keeps the
///   first), nesting deeper than `maximumDepth` (the reference allows 512 levels);
/// - numbers whose reading is subtle: `-0` and other zeros with a sign, fraction or exponent
///   (`Double` decoding keeps the sign or rejects an underflow), integral values of 2^53 or more
///   written with a fraction or exponent, or rounding to -2^63 (the reference then goes through
///   `Decimal`), and numbers that overflow `Double`.
///
/// Accepted numbers follow the reference: an integer literal within `Int64`, or any literal whose
/// correctly rounded `Double` is integral and below 2^53 in magnitude (`1.0`, `1e2`), is
/// `.integer`; every other finite value is `.number`.
///
/// Never traps: every read is bounds-checked and recursion stops at `maximumDepth`.
struct EventJSONParser {
  /// Deeper input goes to the reference path (which accepts up to 512 levels).
  static let maximumDepth = 128

  /// 2^53: integral doubles from here on are decoded through `Decimal` by the reference.
  private static let exactIntegerLimit = 9_007_199_254_740_992.0
  /// 2^63.
  private static let int64Limit = 9_223_372_036_854_775_808.0

  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0
  /// Members of the objects being parsed, innermost last; each object's dictionary is built with
  /// its exact capacity once it is complete, so it never grows and rehashes.
  private var pendingMembers: [(String, EventJSONValue)] = []

  private init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// The value of a complete JSON document (whitespace allowed around it), or `nil` when the
  /// input is not one this parser vouches for (see the type's documentation).
  static func parse(_ bytes: [UInt8]) -> EventJSONValue? {
    bytes.withUnsafeBufferPointer { buffer in
      var parser = EventJSONParser(buffer)
      parser.skipWhitespace()
      guard let value = parser.value(depth: 0) else { return nil }
      parser.skipWhitespace()
      return parser.index == buffer.count ? value : nil
    }
  }

  // MARK: - Grammar

  private mutating func value(depth: Int) -> EventJSONValue? {
    guard index < bytes.count else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "\""):
      return string().map { .string($0) }
    case UInt8(ascii: "{"):
      guard depth < Self.maximumDepth else { return nil }
      return object(depth: depth + 1)
    case UInt8(ascii: "["):
      guard depth < Self.maximumDepth else { return nil }
      return array(depth: depth + 1)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return number()
    case UInt8(ascii: "t"):
      return literal("true") ? .bool(true) : nil
    case UInt8(ascii: "f"):
      return literal("false") ? .bool(false) : nil
    case UInt8(ascii: "n"):
      return literal("null") ? .null : nil
    default:
      return nil
    }
  }

  private mutating func object(depth: Int) -> EventJSONValue? {
    index += 1  // '{'
    skipWhitespace()
    if consume(UInt8(ascii: "}")) { return .object([:]) }
    let first = pendingMembers.count
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let name = string() else { return nil }
      skipWhitespace()
      guard consume(UInt8(ascii: ":")) else { return nil }
      skipWhitespace()
      guard let member = value(depth: depth) else { return nil }
      pendingMembers.append((name, member))
      skipWhitespace()
      if consume(UInt8(ascii: ",")) { continue }
      guard consume(UInt8(ascii: "}")) else { return nil }
      var members: [String: EventJSONValue] = Dictionary(minimumCapacity: pendingMembers.count - first)
      for (name, member) in pendingMembers[first...] {
        // A repeated name: the reference keeps the first; leave that case to it.
        guard members.updateValue(member, forKey: name) == nil else { return nil }
      }
      pendingMembers.removeLast(pendingMembers.count - first)
      return .object(members)
    }
  }

  private mutating func array(depth: Int) -> EventJSONValue? {
    index += 1  // '['
    var items: [EventJSONValue] = []
    skipWhitespace()
    if consume(UInt8(ascii: "]")) { return .array(items) }
    while true {
      skipWhitespace()
      guard let item = value(depth: depth) else { return nil }
      items.append(item)
      skipWhitespace()
      if consume(UInt8(ascii: ",")) { continue }
      return consume(UInt8(ascii: "]")) ? .array(items) : nil
    }
  }

  /// A string from its opening quote; `nil` for control characters, bad escapes, unpaired
  /// surrogates, invalid UTF-8 or a missing closing quote.
  private mutating func string() -> String? {
    index += 1  // '"'
    let start = index
    var isASCII = true
    // Fast scan: no escapes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let content = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        return isASCII ? String(decoding: content, as: UTF8.self) : String(validating: content, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { return nil }
      if byte >= 0x80 { isASCII = false }
      index += 1
    }
    guard index < bytes.count else { return nil }
    // Slow path: unescape into a buffer.
    var buffer = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return String(validating: buffer, as: UTF8.self)
      case UInt8(ascii: "\\"):
        index += 1
        guard unescape(into: &buffer) else { return nil }
      case 0x00..<0x20:
        return nil
      default:
        buffer.append(byte)
        index += 1
      }
    }
    return nil
  }

  /// One escape after its backslash.
  private mutating func unescape(into buffer: inout [UInt8]) -> Bool {
    guard index < bytes.count else { return false }
    let byte = bytes[index]
    index += 1
    if let value = JSONEscape.shortEscapeValue(byte) {
      buffer.append(value)
      return true
    }
    guard byte == UInt8(ascii: "u"), var scalarValue = hex4() else { return false }
    if JSONEscape.isHighSurrogate(scalarValue) {
      guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hex4(),
        JSONEscape.isLowSurrogate(low)
      else { return false }
      scalarValue = JSONEscape.scalarValue(high: scalarValue, low: low)
    }
    guard let scalar = Unicode.Scalar(scalarValue) else { return false }  // unpaired low surrogate
    JSONEscape.appendUTF8(scalar, to: &buffer)
    return true
  }

  private mutating func hex4() -> UInt32? {
    guard bytes.count - index >= 4 else { return nil }
    var result: UInt32 = 0
    for _ in 0..<4 {
      guard let digit = JSONEscape.hexDigitValue(bytes[index]) else { return nil }
      result = result << 4 | digit
      index += 1
    }
    return result
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, classified as the reference does.
  private mutating func number() -> EventJSONValue? {
    let start = index
    let isNegative = consume(UInt8(ascii: "-"))
    let integerStart = index
    guard index < bytes.count, isDigit(bytes[index]) else { return nil }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    let integerEnd = index
    var isInteger = true
    if consume(UInt8(ascii: ".")) {
      isInteger = false
      guard skipDigits() else { return nil }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard skipDigits() else { return nil }
    }
    if isInteger, let integer = int64(integerStart..<integerEnd, isNegative: isNegative) {
      // `-0` decodes as the integer 0 but as the Double -0.0: leave it to the reference.
      return integer == 0 && isNegative ? nil : .integer(integer)
    }
    guard
      let double = Double(
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
      double.isFinite, double != 0
    else { return nil }
    // -2^63 fits `Int64` exactly, so the reference goes on through `Decimal`: leave it to it.
    guard double != -Self.int64Limit else { return nil }
    if double.magnitude >= Self.int64Limit || double != double.rounded(.towardZero) {
      return .number(double)
    }
    return double.magnitude < Self.exactIntegerLimit ? .integer(Int64(double)) : nil
  }

  /// The digits in `range` as an `Int64`, or `nil` on overflow.
  private func int64(_ range: Range<Int>, isNegative: Bool) -> Int64? {
    var value: Int64 = 0
    for position in range {
      let digit = Int64(bytes[position] &- UInt8(ascii: "0"))
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (next, overflow2) =
        isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
      guard !overflow1, !overflow2 else { return nil }
      value = next
    }
    return value
  }

  private mutating func skipDigits() -> Bool {
    let start = index
    while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    return index > start
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard bytes.count - index >= count else { return false }
    let matches = word.withUTF8Buffer { expected in
      expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
    }
    if matches { index += count }
    return matches
  }

  // MARK: - Helpers

  private mutating func consume(_ byte: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }
}
