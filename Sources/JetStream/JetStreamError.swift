/// Errors raised by the JetStream client itself (as opposed to `JetStreamAPIError`, which the
/// server returns). A struct with a code to switch on, a message and an optional cause.
public struct JetStreamError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, in a form code can switch on.
  public enum Code: String, Sendable, Hashable {
    /// A second terminal acknowledgement (ack, nak, term) of the same message.
    case alreadyAcknowledged
    /// The message has no JetStream reply subject, so it cannot be acknowledged.
    case notAJetStreamMessage
    /// No answer within the deadline.
    case timeout
    /// Nobody answered (JetStream not enabled, no stream for the subject, consumer missing).
    case noResponders
    /// The response could not be decoded.
    case invalidResponse
    /// An argument was rejected before anything was sent.
    case invalidArgument
    /// The pull consumer was deleted (409 Consumer Deleted).
    case consumerDeleted
    /// The consumer is a push consumer (409 Consumer is push based).
    case consumerIsPushBased
    /// The server rejected the pull request (400 Bad Request, 409 Exceeded MaxRequest…).
    case badPullRequest
    /// The server refused the pull request because too many are waiting (409 Exceeded MaxWaiting).
    case maxWaitingExceeded
    /// Idle heartbeats stopped arriving during a fetch.
    case noHeartbeat
    /// The server answered a pull request with an unexpected status.
    case unexpectedStatus
    /// The publisher, consumer or connection was closed.
    case closed
  }

  /// The error kind.
  public var code: Code
  /// Human-readable text (never contains message payloads).
  public var message: String
  /// The underlying error, when there is one.
  public var cause: (any Error)?

  /// Creates an error; the message defaults to the code's name.
  public init(_ code: Code, _ message: String? = nil, cause: (any Error)? = nil) {
    self.code = code
    self.message = message ?? code.rawValue
    self.cause = cause
  }

  /// Code, message and cause, for logs.
  public var description: String {
    if let cause { return "\(code.rawValue): \(message) (\(cause))" }
    return "\(code.rawValue): \(message)"
  }
}
