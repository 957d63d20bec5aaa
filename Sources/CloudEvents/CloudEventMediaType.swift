/// Internal: an RFC 2046 / RFC 2045 media type, `type "/" subtype *( OWS ";" OWS parameter )`,
/// with `parameter = attribute "=" ( token / quoted-string )`.
struct CloudEventMediaType: Sendable, Hashable {
  /// The top-level type, lowercased (`application`).
  var type: String
  /// The subtype, lowercased (`json`, `cloudevents+json`).
  var subtype: String

  /// `type/subtype` without parameters, lowercased.
  var essence: String { type + "/" + subtype }

  /// Whether the media type declares JSON content: `*/json` or `*/*+json` (JSON format §3.1.1).
  var isJSON: Bool { subtype == "json" || subtype.hasSuffix("+json") }

  /// Parses and validates `text`; throws with the broken rule.
  static func parse(_ text: String) throws(CloudEventSyntaxViolation) -> CloudEventMediaType {
    let bytes = Array(text.utf8)
    var index = 0
    let type = try token(bytes, &index, what: "type")
    guard index < bytes.count, bytes[index] == UInt8(ascii: "/") else {
      throw CloudEventSyntaxViolation("has no '/' after the type (expected type/subtype)")
    }
    index += 1
    let subtype = try token(bytes, &index, what: "subtype")
    while true {
      skipWhitespace(bytes, &index)
      guard index < bytes.count else { break }
      guard bytes[index] == UInt8(ascii: ";") else {
        throw CloudEventSyntaxViolation(
          "has \(CloudEventSyntaxViolation.describe(bytes[index])) at offset \(index) where ';' or the end was expected"
        )
      }
      index += 1
      skipWhitespace(bytes, &index)
      _ = try token(bytes, &index, what: "parameter name")
      guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
        throw CloudEventSyntaxViolation("has a parameter without '=value' at offset \(index)")
      }
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
        try quotedString(bytes, &index)
      } else {
        _ = try token(bytes, &index, what: "parameter value")
      }
    }
    return CloudEventMediaType(type: type.lowercased(), subtype: subtype.lowercased())
  }

  /// Lenient essence for content negotiation on received headers: the text before `;`, trimmed
  /// and lowercased. Never throws; used where any value must be classified.
  static func essence(of text: String) -> String {
    let beforeParameters =
      text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    return beforeParameters.trimmingASCIIWhitespace().lowercased()
  }

  /// RFC 2045 token: any printable US-ASCII except SPACE and tspecials `()<>@,;:\"/[]?=`.
  static func isTokenCharacter(_ byte: UInt8) -> Bool {
    guard byte >= 0x21 && byte <= 0x7E else { return false }
    switch byte {
    case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"),
      UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"), UInt8(ascii: "\""),
      UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "="):
      return false
    default:
      return true
    }
  }

  private static func token(_ bytes: [UInt8], _ index: inout Int, what: String)
    throws(CloudEventSyntaxViolation)
    -> String
  {
    let start = index
    while index < bytes.count, isTokenCharacter(bytes[index]) { index += 1 }
    guard index > start else {
      if index < bytes.count {
        throw CloudEventSyntaxViolation(
          "has \(CloudEventSyntaxViolation.describe(bytes[index])) at offset \(index) where the \(what) was expected"
        )
      }
      throw CloudEventSyntaxViolation("is missing the \(what)")
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  /// `quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE`, printable ASCII, SP and HTAB only.
  private static func quotedString(_ bytes: [UInt8], _ index: inout Int) throws(CloudEventSyntaxViolation) {
    let start = index
    index += 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return
      }
      if byte == UInt8(ascii: "\\") {
        guard index + 1 < bytes.count,
          isQuotedTextCharacter(bytes[index + 1]) || bytes[index + 1] == 0x22
            || bytes[index + 1] == 0x5C
        else {
          throw CloudEventSyntaxViolation("has an invalid escape at offset \(index) in a quoted string")
        }
        index += 2
        continue
      }
      guard isQuotedTextCharacter(byte) else {
        throw CloudEventSyntaxViolation(
          "has \(CloudEventSyntaxViolation.describe(byte)) at offset \(index) inside a quoted string")
      }
      index += 1
    }
    throw CloudEventSyntaxViolation("has an unterminated quoted string starting at offset \(start)")
  }

  private static func isQuotedTextCharacter(_ byte: UInt8) -> Bool {
    byte == 0x09 || byte == 0x20 || (byte >= 0x21 && byte <= 0x7E && byte != 0x22 && byte != 0x5C)
  }

  private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
    while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
  }
}

extension StringProtocol {
  /// Drops leading and trailing spaces and tabs.
  func trimmingASCIIWhitespace() -> String {
    func isBlank(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 }
    let text = String(self)
    if !isBlank(text.utf8.first), !isBlank(text.utf8.last) { return text }  // nothing to trim
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
