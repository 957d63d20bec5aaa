/// Publishes one outbox row and waits for its PubAck: what `OutboxRelay` needs from a publisher.
///
/// `EventPublisher` is the production conformance; tests substitute their own to inject failures.
public protocol OutboxMessagePublisher: Sendable {
  /// Publishes `message` to `message.subject` with its stored headers and body, using
  /// `message.eventID` as `Nats-Msg-Id`, and returns once the stream acknowledged it.
  ///
  /// - Throws: on any failure (timeout, no responders, disconnected, an API error, an event that no
  ///   longer passes validation); the relay then retries the same message.
  func publish(_ message: OutboxMessage) async throws -> EventPublishReceipt
}
