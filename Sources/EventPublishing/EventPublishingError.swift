/// Why an event was not published, enqueued or relayed.
///
/// Messages name the rule or the failing step and the event id, never payload bytes (they may hold
/// PHI). `cause` keeps the underlying error (a `DomainEventError`, a JetStream or NATS error).
public struct EventPublishingError: Error, Sendable, CustomStringConvertible {
  /// The class of failure, stable for matching in code.
  public enum Code: String, Sendable, Hashable {
    /// The event breaks the CloudEvents rules or its seed contract; nothing was sent.
    case invalidEvent
    /// The event's type has no known contract and no subject was given.
    case unknownSubject
    /// The subject is not a valid NATS publish subject.
    case invalidSubject
    /// A message read from NATS, a file or the outbox could not be decoded into a CloudEvent.
    case undecodable
    /// The outbox already holds an event with the same id.
    case duplicateEventID
    /// `EventOutbox.enqueue` was called outside a transaction, so the event could commit without
    /// the producer's business rows.
    case notInTransaction
    /// The publish or its PubAck failed (timeout, no responders, disconnected, API error).
    case publishFailed
    /// `relayPending()` was called while another call on the same relay was still running.
    case relayBusy
    /// A line source (file, stdin) could not be read.
    case unreadableInput
  }

  /// The class of failure.
  public var code: Code
  /// What went wrong, in words (safe to log: ids and rules only).
  public var message: String
  /// The underlying error, when there is one.
  public var cause: (any Error)?

  /// Creates an error.
  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  /// `<code>: <message>` plus the cause when there is one.
  public var description: String {
    if let cause { return "\(code.rawValue): \(message) (\(cause))" }
    return "\(code.rawValue): \(message)"
  }
}
