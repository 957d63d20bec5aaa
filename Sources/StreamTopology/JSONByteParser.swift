/// A recursive-descent JSON parser over a byte array; every failure is a thrown ``JSONParseError``.
struct JSONByteParser {
  private let bytes: [UInt8]
  private var index = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    let value = try parseValue(depth: 0)
    skipWhitespace()
    guard index == bytes.count else { throw error("unexpected data after the JSON value") }
    return value
  }

  private func error(_ message: String) -> JSONParseError {
    JSONParseError(offset: index, message: message)
  }

  private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func skipWhitespace() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
      index += 1
    }
  }

  private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
    guard let byte = current else { throw error("unexpected end of input, expected a value") }
    switch byte {
    case UInt8(ascii: "{"):
      return try parseObject(depth: depth + 1)
    case UInt8(ascii: "["):
      return try parseArray(depth: depth + 1)
    case UInt8(ascii: "\""):
      return .string(try parseString())
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try parseNumber()
    default:
      throw error("unexpected character, expected a value")
    }
  }

  private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let count = literal.utf8CodeUnitCount
    guard bytes.count - index >= count else { throw error("unexpected end of input in a literal") }
    let matches = literal.withUTF8Buffer { expected in
      expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
    }
    guard matches else { throw error("invalid literal") }
    index += count
  }

  private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth <= JSONValue.maximumParseDepth else { throw error("nesting deeper than the limit") }
    index += 1  // {
    var members: [String: JSONValue] = [:]
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
      index += 1
      skipWhitespace()
      members[key] = try parseValue(depth: depth)
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","):
        index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(members)
      case nil:
        throw error("unexpected end of input in an object")
      default:
        throw error("expected ',' or '}' in an object")
      }
    }
  }

  private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth <= JSONValue.maximumParseDepth else { throw error("nesting deeper than the limit") }
    index += 1  // [
    var elements: [JSONValue] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","):
        index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(elements)
      case nil:
        throw error("unexpected end of input in an array")
      default:
        throw error("expected ',' or ']' in an array")
      }
    }
  }

  private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    var isIntegral = true
    if current == UInt8(ascii: "-") { index += 1 }
    guard let first = current, isDigit(first) else { throw error("expected a digit") }
    if first == UInt8(ascii: "0") {
      index += 1
      if let next = current, isDigit(next) { throw error("leading zeros are not allowed") }
    } else {
      skipDigits()
    }
    if current == UInt8(ascii: ".") {
      isIntegral = false
      index += 1
      guard let next = current, isDigit(next) else { throw error("expected a digit after '.'") }
      skipDigits()
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      isIntegral = false
      index += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard let next = current, isDigit(next) else { throw error("expected a digit in the exponent") }
      skipDigits()
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if isIntegral, let integer = Int64(text) {
      return .int(integer)
    }
    guard let double = Double(text), double.isFinite else {
      throw JSONParseError(offset: start, message: "number out of range")
    }
    return .number(double)
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipDigits() {
    while let byte = current, isDigit(byte) { index += 1 }
  }

  private mutating func parseString() throws(JSONParseError) -> String {
    index += 1  // opening quote
    var scalars: [UInt8] = []
    while true {
      guard let byte = current else { throw error("unexpected end of input in a string") }
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        guard let text = String(validating: scalars, as: UTF8.self) else {
          throw error("string is not valid UTF-8")
        }
        return text
      case UInt8(ascii: "\\"):
        index += 1
        try parseEscape(into: &scalars)
      case 0x00..<0x20:
        throw error("unescaped control character in a string")
      default:
        scalars.append(byte)
        index += 1
      }
    }
  }

  private mutating func parseEscape(into output: inout [UInt8]) throws(JSONParseError) {
    guard let byte = current else { throw error("unexpected end of input in an escape") }
    index += 1
    switch byte {
    case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
    case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
    case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
    case UInt8(ascii: "b"): output.append(0x08)
    case UInt8(ascii: "f"): output.append(0x0C)
    case UInt8(ascii: "n"): output.append(0x0A)
    case UInt8(ascii: "r"): output.append(0x0D)
    case UInt8(ascii: "t"): output.append(0x09)
    case UInt8(ascii: "u"):
      var codePoint = try parseHex4()
      if (0xD800...0xDBFF).contains(codePoint) {
        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw error("high surrogate without a low surrogate") }
        index += 2
        let low = try parseHex4()
        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate") }
        codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(codePoint) {
        throw error("low surrogate without a high surrogate")
      }
      guard let scalar = Unicode.Scalar(codePoint) else { throw error("invalid Unicode code point") }
      output.append(contentsOf: Array(String(Character(scalar)).utf8))
    default:
      throw error("invalid escape sequence")
    }
  }

  private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard bytes.count - index >= 4 else { throw error("unexpected end of input in a \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in a \\u escape")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }
}
