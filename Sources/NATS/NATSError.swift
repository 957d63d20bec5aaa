/// Errors raised by the NATS client. A struct with a code, a message and an optional cause, so
/// callers can switch on `code` while logs carry the full text.
public struct NATSError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, in a form code can switch on.
  public enum Code: String, Sendable, Hashable {
    case connectionClosed
    case connectionFailed
    case noServers
    case timeout
    case noResponders
    case maxPayloadExceeded
    case reconnectBufferExceeded
    case outboundBufferExceeded
    case slowConsumer
    case authorizationViolation
    case authenticationExpired
    case permissionsViolation
    case staleConnection
    case maxConnectionsExceeded
    case serverError
    case protocolError
    case invalidSubject
    case invalidArgument
    case tlsFailure
    case draining
    case cancelled
  }

  /// The error kind.
  public var code: Code
  /// A human-readable description (never contains message payloads).
  public var message: String
  /// The underlying error, when there is one.
  public var cause: (any Error)?

  /// Creates an error.
  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  public var description: String {
    if let cause { return "\(code.rawValue): \(message) (\(cause))" }
    return "\(code.rawValue): \(message)"
  }

  /// Two errors are equal when code and message are (the cause is not compared).
  public static func == (lhs: NATSError, rhs: NATSError) -> Bool {
    lhs.code == rhs.code && lhs.message == rhs.message
  }

  /// Maps the text of a server `-ERR` to a typed error.
  public static func fromServer(_ text: String) -> NATSError {
    let lower = text.lowercased()
    if lower.hasPrefix("authorization violation") || lower.hasPrefix("authentication timeout") {
      return NATSError(.authorizationViolation, "server: \(text)")
    }
    if lower.contains("authentication expired") || lower.contains("user authentication revoked") {
      return NATSError(.authenticationExpired, "server: \(text)")
    }
    if lower.hasPrefix("permissions violation") { return NATSError(.permissionsViolation, "server: \(text)") }
    if lower.hasPrefix("stale connection") { return NATSError(.staleConnection, "server: \(text)") }
    if lower.hasPrefix("maximum payload") { return NATSError(.maxPayloadExceeded, "server: \(text)") }
    if lower.hasPrefix("maximum connections exceeded") {
      return NATSError(.maxConnectionsExceeded, "server: \(text)")
    }
    return NATSError(.serverError, "server: \(text)")
  }

  /// Whether the server keeps the connection open after sending this error.
  /// Only permission violations leave the connection usable.
  public var serverKeepsConnection: Bool { code == .permissionsViolation }
}
