/// Internal: a syntax rule broken inside one value (URI, media type, JSON, base64). Callers turn
/// it into a `CloudEventValidationError` or `CloudEventDecodingError` naming the attribute.
struct CloudEventSyntaxViolation: Error, Sendable, Hashable {
  /// What is wrong, e.g. `invalid percent-encoding at offset 4`.
  var reason: String

  init(_ reason: String) {
    self.reason = reason
  }

  /// Describes one byte for an error message without echoing non-printable or non-ASCII data.
  static func describe(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte <= 0x7E {
      return "'\(Character(Unicode.Scalar(byte)))'"
    }
    let hex = String(byte, radix: 16, uppercase: true)
    return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
  }
}
