import Foundation
import NATSWire

/// One row of the `fw_event_outbox` table: an event ready to be published, as it was encoded when
/// the producer enqueued it.
public struct OutboxMessage: Sendable, Hashable {
  /// The outbox order (`seq`, increasing with every enqueue); the relay publishes in this order.
  public var seq: Int64
  /// The CloudEvents `id`, also the `Nats-Msg-Id` of every publish attempt.
  public var eventID: String
  /// The NATS subject.
  public var subject: String
  /// The message headers (`ce-*`, `Content-Type`, `Nats-Msg-Id`) in wire order.
  public var headers: NATSHeaders
  /// The message body.
  public var body: [UInt8]
  /// When the producer enqueued the event.
  public var createdAt: Date
  /// When the stream acknowledged it; `nil` while pending.
  public var publishedAt: Date?
  /// The stream sequence from the PubAck; `nil` while pending.
  public var streamSequence: Int64?
  /// Publish attempts so far (failed ones, plus the successful one once published).
  public var attempts: Int
  /// The error of the last failed attempt, `nil` when there was none or the row was published.
  public var lastError: String?

  /// Creates a message value.
  public init(
    seq: Int64, eventID: String, subject: String, headers: NATSHeaders, body: [UInt8], createdAt: Date,
    publishedAt: Date? = nil, streamSequence: Int64? = nil, attempts: Int = 0, lastError: String? = nil
  ) {
    self.seq = seq
    self.eventID = eventID
    self.subject = subject
    self.headers = headers
    self.body = body
    self.createdAt = createdAt
    self.publishedAt = publishedAt
    self.streamSequence = streamSequence
    self.attempts = attempts
    self.lastError = lastError
  }

  /// Whether the stream has acknowledged the message.
  public var isPublished: Bool { publishedAt != nil }
}
