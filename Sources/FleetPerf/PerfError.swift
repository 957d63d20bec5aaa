/// An error of the load generator, the peer benchmark or the fleet benchmark: a code, a message
/// that says what went wrong and what to do, and the underlying cause when there is one.
public struct PerfError: Error, Sendable, CustomStringConvertible {
  /// What kind of failure this is.
  public enum Code: String, Sendable {
    /// An option is out of range or missing.
    case invalidOption
    /// The server or a stream is not in the state the run needs.
    case setup
    /// A bounded wait ran out.
    case timeout
    /// A result could not be confirmed (counts differ, stream not empty).
    case verification
    /// A file could not be read or written.
    case io
  }

  /// The kind of failure.
  public let code: Code
  /// What happened, in words.
  public let message: String
  /// The underlying error, if any.
  public let cause: (any Error)?

  /// Creates an error.
  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  /// `<code>: <message>[ (cause: …)]`.
  public var description: String {
    if let cause { return "\(code.rawValue): \(message) (cause: \(cause))" }
    return "\(code.rawValue): \(message)"
  }
}
