/// Why an event does not satisfy its contract. Messages name the field and the rule, never a
/// payload value (payloads may hold PHI). Every case is a permanent error for a consumer.
public struct DomainEventError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The class of violation.
  public enum Code: String, Sendable, Hashable {
    /// The CloudEvents `type` names no known contract.
    case unknownType
    /// The CloudEvent itself is wrong: an attribute, the data's media type, or an attribute that
    /// disagrees with the data (id ≠ metadata.event_id, organizationid ≠ metadata).
    case invalidEnvelope
    /// The data does not match the contract: a required field missing, a wrong type, enumeration,
    /// UUID, date or range.
    case invalidPayload
  }

  /// The class of violation.
  public var code: Code
  /// The offending attribute or field path (`payload.entity_id`, `matches[0].id`, `type`), if any.
  public var field: String?
  /// The rule that was violated.
  public var reason: String

  /// Creates an error.
  public init(code: Code, field: String?, reason: String) {
    self.code = code
    self.field = field
    self.reason = reason
  }

  /// `<code>: <field>: <reason>`.
  public var description: String {
    if let field { return "\(code.rawValue): \(field): \(reason)" }
    return "\(code.rawValue): \(reason)"
  }

  static func envelope(_ field: String?, _ reason: String) -> DomainEventError {
    DomainEventError(code: .invalidEnvelope, field: field, reason: reason)
  }

  static func payload(_ field: String?, _ reason: String) -> DomainEventError {
    DomainEventError(code: .invalidPayload, field: field, reason: reason)
  }
}
