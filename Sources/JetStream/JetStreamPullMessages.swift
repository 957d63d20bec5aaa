/// The messages of a `fetch` or `consume`, as an `AsyncSequence`.
///
/// A fetch ends when its batch is complete, on 404 / 408, or at its deadline; a consume goes on
/// until `stop()` (then buffered messages are still returned) or a terminal error (409 Consumer
/// Deleted, connection closed …), which the iterator throws after the buffered messages. One
/// consumer task should iterate; dropping the sequence unsubscribes.
public struct JetStreamPullMessages: AsyncSequence, Sendable {
  /// The element type.
  public typealias Element = JetStreamMessage

  let driver: PullSubscriptionDriver

  /// Stops pulling; messages already received are still returned, then the sequence ends.
  public func stop() { driver.stop() }

  /// Pending (requested, not yet received) and buffered counts, pulls sent, missed heartbeats…
  /// `pendingMessages` / `pendingBytes` follow the `Nats-Pending-Messages` / `Nats-Pending-Bytes`
  /// headers of the server's 408/409 status messages.
  public var statistics: PullConsumerStateMachine.Statistics { driver.statistics }

  /// The iterator.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let driver: PullSubscriptionDriver

    /// The next message; nil at the end; throws a terminal error.
    public mutating func next() async throws -> JetStreamMessage? {
      guard let message = try await driver.next() else { return nil }
      return JetStreamMessage(message, client: driver.client)
    }

    /// Every message already received, up to `max` (at least one: waits for the first); empty at
    /// the end; throws a terminal error after the buffered messages. For consumers that apply
    /// messages in batches (one database transaction per batch).
    public mutating func nextBatch(max: Int) async throws -> [JetStreamMessage] {
      let client = driver.client
      return try await driver.next(max: max).map { JetStreamMessage($0, client: client) }
    }
  }

  /// Creates an iterator (iterators share the underlying subscription).
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(driver: driver) }
}
