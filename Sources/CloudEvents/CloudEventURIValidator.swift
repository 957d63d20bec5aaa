/// Internal: RFC 3986 syntax checks for `source` (URI-reference) and `dataschema` (URI).
///
/// Only ASCII is accepted (URIs, not IRIs); every `%` must start a `%XX` escape.
enum CloudEventURIValidator {
  /// Checks `URI-reference = URI / relative-ref`.
  static func checkURIReference(_ value: String) throws(CloudEventSyntaxViolation) {
    try check(Array(value.utf8), requireScheme: false)
  }

  /// Checks `URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]` (a scheme is required).
  static func checkAbsoluteURI(_ value: String) throws(CloudEventSyntaxViolation) {
    try check(Array(value.utf8), requireScheme: true)
  }

  private static func check(_ bytes: [UInt8], requireScheme: Bool) throws(CloudEventSyntaxViolation) {
    let fragmentStart = bytes.firstIndex(of: UInt8(ascii: "#"))
    let beforeFragment = fragmentStart ?? bytes.count
    let queryStart = bytes[0..<beforeFragment].firstIndex(of: UInt8(ascii: "?"))
    let hierEnd = queryStart ?? beforeFragment

    if let fragmentStart {
      try scan(bytes, (fragmentStart + 1)..<bytes.count, part: "fragment", allowed: isQueryOrFragment)
    }
    if let queryStart {
      try scan(bytes, (queryStart + 1)..<beforeFragment, part: "query", allowed: isQueryOrFragment)
    }

    // A ':' before the first '/' ends a scheme; a relative reference's first segment has none.
    var hierStart = 0
    let firstSlash = bytes[0..<hierEnd].firstIndex(of: UInt8(ascii: "/")) ?? hierEnd
    if let colon = bytes[0..<firstSlash].firstIndex(of: UInt8(ascii: ":")) {
      try checkScheme(bytes[0..<colon])
      hierStart = colon + 1
    } else if requireScheme {
      throw CloudEventSyntaxViolation("has no scheme (an absolute URI starts with e.g. 'https:')")
    }

    var pathStart = hierStart
    if hierEnd - hierStart >= 2, bytes[hierStart] == UInt8(ascii: "/"),
      bytes[hierStart + 1] == UInt8(ascii: "/")
    {
      let authorityStart = hierStart + 2
      let authorityEnd = bytes[authorityStart..<hierEnd].firstIndex(of: UInt8(ascii: "/")) ?? hierEnd
      try checkAuthority(bytes, authorityStart..<authorityEnd)
      pathStart = authorityEnd
    }
    try scan(bytes, pathStart..<hierEnd, part: "path", allowed: isPathCharacter)
  }

  private static func checkScheme(_ scheme: ArraySlice<UInt8>) throws(CloudEventSyntaxViolation) {
    guard let first = scheme.first else {
      throw CloudEventSyntaxViolation("has an empty scheme before ':'")
    }
    guard isAlpha(first),
      scheme.allSatisfy({
        isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
          || $0 == UInt8(ascii: ".")
      })
    else {
      throw CloudEventSyntaxViolation(
        "has an invalid scheme (a letter followed by letters, digits, '+', '-' or '.'); "
          + "a relative reference cannot have ':' in its first segment")
    }
  }

  private static func checkAuthority(_ bytes: [UInt8], _ range: Range<Int>) throws(CloudEventSyntaxViolation)
  {
    var hostStart = range.lowerBound
    if let at = bytes[range].firstIndex(of: UInt8(ascii: "@")) {
      try scan(bytes, range.lowerBound..<at, part: "userinfo") {
        isUnreservedOrSubDelim($0) || $0 == UInt8(ascii: ":")
      }
      hostStart = at + 1
    }
    var portStart: Int?
    if hostStart < range.upperBound, bytes[hostStart] == UInt8(ascii: "[") {
      guard let close = bytes[hostStart..<range.upperBound].firstIndex(of: UInt8(ascii: "]")) else {
        throw CloudEventSyntaxViolation("has an IP literal without a closing ']'")
      }
      guard close > hostStart + 1 else { throw CloudEventSyntaxViolation("has an empty IP literal") }
      for index in (hostStart + 1)..<close
      where !(isUnreservedOrSubDelim(bytes[index]) || bytes[index] == UInt8(ascii: ":")) {
        throw CloudEventSyntaxViolation(
          "has \(CloudEventSyntaxViolation.describe(bytes[index])) at offset \(index) inside an IP literal")
      }
      if close + 1 < range.upperBound {
        guard bytes[close + 1] == UInt8(ascii: ":") else {
          throw CloudEventSyntaxViolation("has characters after the IP literal that are not a port")
        }
        portStart = close + 2
      }
    } else {
      let hostEnd = bytes[hostStart..<range.upperBound].firstIndex(of: UInt8(ascii: ":")) ?? range.upperBound
      try scan(bytes, hostStart..<hostEnd, part: "host", allowed: isUnreservedOrSubDelim)
      if hostEnd < range.upperBound { portStart = hostEnd + 1 }
    }
    if let portStart {
      for index in portStart..<range.upperBound where !isDigit(bytes[index]) {
        throw CloudEventSyntaxViolation(
          "has \(CloudEventSyntaxViolation.describe(bytes[index])) at offset \(index) in the port (digits only)"
        )
      }
    }
  }

  /// Walks `range`, accepting `allowed` bytes and `%XX` escapes.
  private static func scan(
    _ bytes: [UInt8], _ range: Range<Int>, part: String, allowed: (UInt8) -> Bool
  ) throws(CloudEventSyntaxViolation) {
    var index = range.lowerBound
    while index < range.upperBound {
      let byte = bytes[index]
      if byte == UInt8(ascii: "%") {
        guard index + 2 < range.upperBound, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2])
        else {
          throw CloudEventSyntaxViolation("has an invalid percent-encoding at offset \(index) in the \(part)")
        }
        index += 3
        continue
      }
      guard allowed(byte) else {
        throw CloudEventSyntaxViolation(
          "has \(CloudEventSyntaxViolation.describe(byte)) at offset \(index), not allowed in the \(part)")
      }
      index += 1
    }
  }

  // MARK: - Character classes (RFC 3986 §2)

  static func isAlpha(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
  }

  static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
  }

  private static func isUnreservedOrSubDelim(_ byte: UInt8) -> Bool {
    if isAlpha(byte) || isDigit(byte) { return true }
    switch byte {
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),  // unreserved
      UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
      UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
      UInt8(ascii: "="):  // sub-delims
      return true
    default:
      return false
    }
  }

  /// `pchar / "/"`.
  private static func isPathCharacter(_ byte: UInt8) -> Bool {
    isUnreservedOrSubDelim(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@")
      || byte == UInt8(ascii: "/")
  }

  /// `pchar / "/" / "?"`.
  private static func isQueryOrFragment(_ byte: UInt8) -> Bool {
    isPathCharacter(byte) || byte == UInt8(ascii: "?")
  }
}
