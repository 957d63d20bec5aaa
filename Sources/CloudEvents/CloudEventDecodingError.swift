/// Why a message or JSON document could not be decoded into a valid `CloudEvent`.
///
/// Every decoding failure is permanent for the message that caused it (retrying cannot fix it),
/// so a consumer dead-letters the message with `reason`. The text never contains `data` bytes.
public struct CloudEventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of failure, stable for matching in code.
  public enum Code: String, Sendable, Hashable {
    /// The bytes are not well-formed JSON (RFC 8259).
    case malformedJSON
    /// The JSON document is not an object.
    case notAnObject
    /// A required attribute (`id`, `source`, `specversion`, `type`) is absent or null.
    case missingAttribute
    /// An attribute has the wrong JSON type, e.g. a number where a string is required.
    case wrongType
    /// Both `data` and `data_base64` are present.
    case conflictingData
    /// `data_base64` is not valid base64.
    case invalidBase64
    /// `time` is not an RFC 3339 timestamp.
    case invalidTimestamp
    /// A binary-mode header value does not decode to valid UTF-8.
    case invalidHeaderValue
    /// The same `ce-` header appears twice with different values.
    case duplicateHeader
    /// The message is neither a binary-mode nor a structured-mode CloudEvent.
    case notACloudEvent
    /// The message uses an event format or content mode this module does not read.
    case unsupportedFormat
    /// The event decoded but breaks the CloudEvents rules; see `violations`.
    case invalidEvent
  }

  /// The kind of failure.
  public var code: Code
  /// Which rule was violated, in words (safe to log and to store with a dead letter).
  public var reason: String
  /// For `.invalidEvent`: every violation found. Empty for the other codes.
  public var violations: [CloudEventValidationError]

  /// Creates a decoding error.
  public init(code: Code, reason: String, violations: [CloudEventValidationError] = []) {
    self.code = code
    self.reason = reason
    self.violations = violations
  }

  /// Wraps the violations found after decoding; `reason` lists all of them.
  init(violations: [CloudEventValidationError]) {
    self.init(
      code: .invalidEvent,
      reason: "invalid CloudEvent: " + violations.map(\.description).joined(separator: "; "),
      violations: violations)
  }

  /// The reason.
  public var description: String { reason }
}
