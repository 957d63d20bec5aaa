/// Publishes a dead letter to the DLQ stream and returns only once the server has stored it (PubAck).
///
/// Publish with `Nats-Msg-Id = letter.msgId`, so a retried publish of the same dead letter is
/// deduplicated by JetStream.
public protocol DeadLetterSink: Sendable {
  /// Stores the letter; throws when it is not known to be stored.
  func publish(_ letter: DeadLetter) async throws
}
