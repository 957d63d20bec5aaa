/// One violation of the CloudEvents 1.0 rules found by `CloudEvent.validationErrors()`.
///
/// `reason` names the rule that was broken. It never contains `data` bytes; it quotes an
/// attribute value only where the value itself is the problem and is short (`specversion`).
public struct CloudEventValidationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The attribute (or extension name) the violation is about, e.g. `source`.
  public var attribute: String
  /// Which rule was violated, e.g. `must be a non-empty string`.
  public var reason: String

  /// Creates a violation for `attribute`.
  public init(attribute: String, reason: String) {
    self.attribute = attribute
    self.reason = reason
  }

  /// `attribute 'source': must be a valid URI-reference (RFC 3986): …`
  public var description: String { "attribute '\(attribute)': \(reason)" }
}
