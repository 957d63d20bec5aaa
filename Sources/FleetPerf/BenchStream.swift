import JetStream
import NATS
import NATSWire

/// The harness's stream administration (what bench-peers' `natsbench-c URL admin …` does), for
/// tests and for running a workload by hand: reset `BENCH`, preload it, check it afterwards.
public enum BenchStream {
  /// Retention of the `BENCH` stream.
  public enum Retention: String, Sendable {
    /// Limits retention (publish workloads).
    case limits
    /// WorkQueue retention (js_pull_ack).
    case workqueue
  }

  /// Deletes the stream if it exists.
  public static func delete(_ context: JetStreamContext, stream: String = "BENCH") async throws {
    do {
      try await context.deleteStream(stream)
    } catch let error as JetStreamAPIError where error.errorCode == 10059 {
      return
    }
  }

  /// Deletes and re-creates the stream: `bench.>`, file storage, the given retention.
  public static func reset(
    _ context: JetStreamContext, retention: Retention, stream: String = "BENCH"
  ) async throws {
    try await delete(context, stream: stream)
    var config = StreamConfig(name: stream, subjects: ["bench.>"])
    config.storage = .file
    config.retention = retention == .workqueue ? .workQueue : .limits
    _ = try await context.createStream(config)
  }

  /// Publishes `n` messages of `size` bytes to `bench.js` with async publish (no message ids),
  /// and returns the stream's message count afterwards.
  public static func preload(
    _ context: JetStreamContext, n: Int, size: Int = 128, stream: String = "BENCH",
    timeout: Duration = .seconds(120)
  ) async throws -> UInt64 {
    let publisher = try JetStreamAsyncPublisher(context: context, maxPending: 4096, ackTimeout: .seconds(30))
    let payload = BenchSettings(size: size).payload
    let deadline = ContinuousClock.now + timeout
    for i in 0..<max(n, 0) {
      _ = try await publisher.publish(BenchSettings.jetStreamSubject, payload: payload)
      if i & 0x3FF == 0 && ContinuousClock.now > deadline {
        await publisher.close()
        throw PerfError(.timeout, "preloading \(n) messages took longer than \(timeout)")
      }
    }
    try await publisher.waitForAll(timeout: max(deadline - ContinuousClock.now, .seconds(1)))
    await publisher.close()
    return try await messageCount(context, stream: stream)
  }

  /// The stream's message count.
  public static func messageCount(_ context: JetStreamContext, stream: String = "BENCH") async throws
    -> UInt64
  {
    try await context.streamInfo(stream).state.messages
  }

  /// The `Nats-Msg-Id` of the last message on `bench.js` (nil when it has none).
  public static func lastMessageID(_ context: JetStreamContext, stream: String = "BENCH") async throws
    -> String?
  {
    let message = try await context.getLastMessage(stream: stream, subject: BenchSettings.jetStreamSubject)
    return message.headers?[NATSHeaders.Name.msgId]
  }
}
