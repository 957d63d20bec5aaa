/// What JetStream answered for one stored message: the PubAck reduced to what the outbox records.
public struct EventPublishReceipt: Sendable, Hashable {
  /// The stream that stored the message.
  public var stream: String
  /// The message's stream sequence (for a duplicate: the sequence of the copy already stored).
  public var streamSequence: UInt64
  /// Whether the stream had already stored a message with this `Nats-Msg-Id` (dedupe window).
  public var duplicate: Bool

  /// Creates a receipt.
  public init(stream: String, streamSequence: UInt64, duplicate: Bool) {
    self.stream = stream
    self.streamSequence = streamSequence
    self.duplicate = duplicate
  }
}
