/// Why ``OperationsHTTPServer`` could not start.
public struct OperationsHTTPServerError: Error, CustomStringConvertible {
  /// What went wrong, for programmatic checks.
  public enum Code: String, Sendable, Equatable {
    /// ``OperationsHTTPServer/start()`` was called on a server that is starting or running.
    case alreadyStarted
    /// The server was stopped; create a new one to serve again.
    case stopped
    /// The host and port could not be bound (in use, no permission, unknown host).
    case bindFailed
  }

  /// What went wrong.
  public var code: Code
  /// A sentence for operators.
  public var message: String
  /// The error from the network stack, when there is one.
  public var underlying: (any Error)?

  /// Creates an error.
  public init(code: Code, message: String, underlying: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  /// `message`, followed by the underlying error when there is one.
  public var description: String {
    guard let underlying else { return message }
    return "\(message): \(underlying)"
  }
}
