import Foundation
import JetStream
import Logging
import NATS
import NIOCore
import Synchronization

/// Runs one peer-benchmark workload with our client, following the harness rules of
/// bench-peers/README.md exactly: same subjects, stream, durable, knobs, timed sections and
/// `ok=1` rules as the nats.c / nats.go / nats-py peers.
///
/// Every loop is bounded by N and by `settings.deadline` (`BENCH_DEADLINE_S`).
public enum BenchRunner {
  /// Runs `workload` against `url` for `n` messages.
  ///
  /// JetStream workloads expect stream `BENCH` (`bench.>`, file storage) to exist, as the harness
  /// creates it: limits retention for the publish workloads, WorkQueue retention preloaded with
  /// N messages for `js_pull_ack` (see `BenchStream`).
  /// - Throws: `PerfError(.invalidOption)` for N < 1; connection and set-up errors. Failures
  ///   during the timed section end the run early and show as `done < n` (`ok=0`).
  public static func run(
    workload: BenchWorkload, url: String, n: Int, settings: BenchSettings = BenchSettings(),
    logger: Logger = Logger(label: "fleet.bench")
  ) async throws -> BenchResult {
    guard n > 0 else { throw PerfError(.invalidOption, "N must be > 0, got \(n)") }
    let deadline = ContinuousClock.now + settings.deadline
    switch workload {
    case .corePub:
      return try await corePub(url: url, n: n, settings: settings, deadline: deadline, logger: logger)
    case .corePubSub:
      return try await corePubSub(url: url, n: n, settings: settings, deadline: deadline, logger: logger)
    case .jsPubAsync:
      return try await jsPubAsync(url: url, n: n, settings: settings, deadline: deadline, logger: logger)
    case .jsPubSync:
      return try await jsPubSync(url: url, n: n, settings: settings, deadline: deadline, logger: logger)
    case .jsPullAck:
      return try await jsPullAck(url: url, n: n, settings: settings, deadline: deadline, logger: logger)
    }
  }

  /// Convenience: parses the workload name; throws `PerfError(.invalidOption)` for an unknown one.
  public static func run(
    workload name: String, url: String, n: Int, settings: BenchSettings = BenchSettings(),
    logger: Logger = Logger(label: "fleet.bench")
  ) async throws -> BenchResult {
    guard let workload = BenchWorkload(rawValue: name) else {
      let known = BenchWorkload.allCases.map(\.rawValue).joined(separator: ", ")
      throw PerfError(.invalidOption, "unknown workload '\(name)' (known: \(known))")
    }
    return try await run(workload: workload, url: url, n: n, settings: settings, logger: logger)
  }

  // MARK: helpers

  static func connect(_ url: String, name: String, logger: Logger) async throws -> NATSClient {
    var options = NATSClientOptions(servers: [url])
    options.name = name
    options.connectTimeout = .seconds(5)
    options.allowReconnect = false
    return try await NATSClient.connect(options, logger: logger)
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  static func warn(_ text: String) {
    FileHandle.standardError.write(Data("fleet bench: \(text)\n".utf8))
  }

  static func payloadBuffer(_ settings: BenchSettings) -> ByteBuffer {
    var buffer = ByteBufferAllocator().buffer(capacity: settings.size)
    buffer.writeBytes(settings.payload)
    return buffer
  }

  // MARK: core

  private static func corePub(
    url: String, n: Int, settings: BenchSettings, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> BenchResult {
    let client = try await connect(url, name: "swift-bench-pub", logger: logger)
    let payload = payloadBuffer(settings)
    // On the connection's event loop (see jsPubSync): the loop writes when the publisher yields.
    let (done, secs) = await withTaskExecutorPreference(client.taskExecutor) { () async -> (Int, Double) in
      let t0 = ContinuousClock.now
      let (published, flushed) = await publishCore(client, payload: payload, n: n, deadline: deadline)
      return (flushed ? published : 0, seconds(ContinuousClock.now - t0))
    }
    await client.close()
    return BenchResult(workload: .corePub, n: n, done: done, size: settings.size, seconds: secs)
  }

  /// The publish loop of core_pub and core_pubsub: `n` publishes of `payload` to the core subject
  /// (fewer after an error or past the deadline), then a flush. Returns how many were published
  /// and whether the flush succeeded.
  private static func publishCore(
    _ client: NATSClient, payload: ByteBuffer, n: Int, deadline: ContinuousClock.Instant
  ) async -> (published: Int, flushed: Bool) {
    var i = 0
    while i < n {
      do {
        // The non-suspending path first; await only when the outbound buffer is full.
        if try !client.tryPublish(BenchSettings.coreSubject, buffer: payload) {
          try await client.publish(BenchSettings.coreSubject, buffer: payload)
        }
      } catch {
        warn("publish #\(i): \(error)")
        break
      }
      i += 1
      if i & 0xFFFF == 0 && ContinuousClock.now > deadline { break }
    }
    do {
      try await client.flush(timeout: .seconds(60))
      return (i, true)
    } catch {
      warn("flush: \(error)")
      return (i, false)
    }
  }

  /// Counts deliveries on the event loop and notes when the N-th arrived.
  final class DeliveryCounter: Sendable {
    let target: Int
    let start: ContinuousClock.Instant
    let count = Atomic<Int>(0)
    /// Nanoseconds from `start` to the N-th delivery; 0 until then.
    let lastNanoseconds = Atomic<Int64>(0)

    init(target: Int, start: ContinuousClock.Instant) {
      self.target = target
      self.start = start
    }

    func delivered() {
      let now = count.wrappingAdd(1, ordering: .relaxed).newValue
      if now == target {
        let elapsed = ContinuousClock.now - start
        let ns = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        lastNanoseconds.store(max(ns, 1), ordering: .releasing)
      }
    }
  }

  private static func corePubSub(
    url: String, n: Int, settings: BenchSettings, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> BenchResult {
    let publisher = try await connect(url, name: "swift-bench-pub", logger: logger)
    let subscriber: NATSClient
    do {
      subscriber = try await connect(url, name: "swift-bench-sub", logger: logger)
    } catch {
      await publisher.close()
      throw error
    }
    // Reference instant fixed before subscribing; t0 is taken just before the first publish.
    let reference = ContinuousClock.now
    let counter = DeliveryCounter(target: n, start: reference)
    // A callback subscription delivers on the event loop with no pending queue, so nothing is
    // dropped (the peers raise their pending limits for the same reason).
    let subscription = try subscriber.subscribe(BenchSettings.coreSubject) { _ in counter.delivered() }
    try await subscriber.flush(timeout: .seconds(10))
    let payload = payloadBuffer(settings)
    let t0 = ContinuousClock.now
    // The publisher on its connection's event loop (see jsPubSync).
    await withTaskExecutorPreference(publisher.taskExecutor) {
      _ = await publishCore(publisher, payload: payload, n: n, deadline: deadline)
    }
    while counter.lastNanoseconds.load(ordering: .acquiring) == 0 && ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(1))
    }
    let lastNs = counter.lastNanoseconds.load(ordering: .acquiring)
    let end = lastNs != 0 ? reference + .nanoseconds(lastNs) : ContinuousClock.now
    let got = counter.count.load(ordering: .relaxed)
    try? subscription.unsubscribe()
    await publisher.close()
    await subscriber.close()
    return BenchResult(
      workload: .corePubSub, n: n, done: got, size: settings.size, seconds: seconds(end - t0))
  }

  // MARK: JetStream publish

  /// `tag + String(number)` for a non-negative number, in one allocation (the msg id of every
  /// JetStream publish in the bench; concatenating built it twice).
  static func messageID(_ tag: String, _ number: Int) -> String {
    guard number >= 0 else { return tag + String(number) }
    var digits = 1
    var scan = number
    while scan >= 10 {
      scan /= 10
      digits += 1
    }
    var tag = tag
    return tag.withUTF8 { tagBytes in
      String(unsafeUninitializedCapacity: tagBytes.count + digits) { target in
        UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(tagBytes))
        var rest = number
        var index = tagBytes.count + digits
        repeat {
          index -= 1
          target[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
          rest /= 10
        } while rest > 0
        return tagBytes.count + digits
      }
    }
  }

  private static func jsPubAsync(
    url: String, n: Int, settings: BenchSettings, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> BenchResult {
    let client = try await connect(url, name: "swift-bench-js-async", logger: logger)
    let context = JetStreamContext(client: client, timeout: .seconds(10), logger: logger)
    let publisher: JetStreamAsyncPublisher
    do {
      publisher = try JetStreamAsyncPublisher(
        context: context, maxPending: settings.inflight, ackTimeout: .seconds(30), windowTimeout: .seconds(10)
      )
    } catch {
      await client.close()
      throw error
    }
    let payload = settings.payload
    let tag = "swift\(getpid())-"
    // On the connection's event loop (see jsPubSync).
    let (futures, secs) = await withTaskExecutorPreference(client.taskExecutor) {
      () async -> ([JetStreamPubAckFuture], Double) in
      var futures: [JetStreamPubAckFuture] = []
      futures.reserveCapacity(n)
      let t0 = ContinuousClock.now
      for i in 0..<n {
        do {
          let future = try await publisher.publish(
            BenchSettings.jetStreamSubject, payload: payload,
            options: JetStreamPublishOptions(msgId: messageID(tag, i)))
          futures.append(future)
        } catch {
          warn("async publish #\(i): \(error)")
          break
        }
        if i & 0x3FF == 0 && ContinuousClock.now > deadline { break }
      }
      do {
        let left = deadline - ContinuousClock.now
        try await publisher.waitForAll(timeout: min(.seconds(60), max(left, .seconds(1))))
      } catch {
        warn("waiting for PubAcks: \(error)")
      }
      return (futures, seconds(ContinuousClock.now - t0))
    }
    // Count the outcomes outside the timed section.
    var acks = 0
    var dups = 0
    var errs = 0
    for future in futures {
      switch future.result {
      case .success(let ack)?:
        acks += 1
        if ack.duplicate { dups += 1 }
      case .failure?: errs += 1
      case nil: break
      }
    }
    await publisher.close()
    await client.close()
    return BenchResult(
      workload: .jsPubAsync, n: n, done: errs > 0 || dups > 0 ? 0 : acks, size: settings.size, seconds: secs,
      extra: [("inflight", String(settings.inflight)), ("errs", String(errs)), ("dups", String(dups))])
  }

  private static func jsPubSync(
    url: String, n: Int, settings: BenchSettings, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> BenchResult {
    let client = try await connect(url, name: "swift-bench-js-sync", logger: logger)
    let context = JetStreamContext(client: client, timeout: .seconds(10), logger: logger)
    let payload = settings.payload
    let tag = "swifts\(getpid())-"
    let options = JetStreamPublishOptions(timeout: .seconds(10))
    // On the connection's event loop: publish, PubAck and resume without a thread hop.
    let (unsorted, ok, secs) = await withTaskExecutorPreference(client.taskExecutor) {
      () async -> ([Duration], Int, Double) in
      var latencies: [Duration] = []
      latencies.reserveCapacity(n)
      var ok = 0
      let t0 = ContinuousClock.now
      var i = 0
      while i < n && ContinuousClock.now <= deadline {
        var publishOptions = options
        publishOptions.msgId = messageID(tag, i)
        let a = ContinuousClock.now
        do {
          let ack = try await context.publish(
            BenchSettings.jetStreamSubject, payload: payload, options: publishOptions)
          latencies.append(ContinuousClock.now - a)
          if !ack.duplicate { ok += 1 }
        } catch {
          latencies.append(ContinuousClock.now - a)
          warn("publish #\(i): \(error)")
          break
        }
        i += 1
      }
      return (latencies, ok, seconds(ContinuousClock.now - t0))
    }
    let latencies = unsorted.sorted()
    func percentile(_ q: Double) -> String {
      guard !latencies.isEmpty else { return "0.0" }
      let index = min(Int(Double(latencies.count) * q), latencies.count - 1)
      return String(format: "%.1f", seconds(latencies[index]) * 1e6)
    }
    await client.close()
    return BenchResult(
      workload: .jsPubSync, n: n, done: ok, size: settings.size, seconds: secs,
      extra: [("p50_us", percentile(0.50)), ("p99_us", percentile(0.99))])
  }

  // MARK: JetStream pull

  private static func jsPullAck(
    url: String, n: Int, settings: BenchSettings, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> BenchResult {
    let client = try await connect(url, name: "swift-bench-js-pull", logger: logger)
    let context = JetStreamContext(client: client, timeout: .seconds(10), logger: logger)
    let consumer: JetStreamPullConsumer
    do {
      let config = ConsumerConfig(
        durableName: BenchSettings.durable, ackPolicy: .explicit, filterSubject: "bench.>")
      _ = try await context.createOrUpdateConsumer(stream: settings.stream, config: config)
      consumer = try context.pullConsumer(stream: settings.stream, name: BenchSettings.durable)
    } catch {
      await client.close()
      throw error
    }
    // On the connection's event loop (see jsPubSync): fetch, deliver and ack without thread hops.
    let (acked, timeouts, t0) = await withTaskExecutorPreference(client.taskExecutor) {
      () async -> (Int, Int, ContinuousClock.Instant) in
      var acked = 0
      var timeouts = 0
      let t0 = ContinuousClock.now
      fetching: while acked < n && ContinuousClock.now <= deadline {
        // As nats.go's and nats.c's Fetch do: take what is there now (no_wait, so a short last
        // batch does not wait out the expiry), and long-poll only when nothing is.
        var received = 0
        do {
          for noWait in [true, false] {
            let messages = try await consumer.fetch(
              batch: settings.batch, expires: .seconds(5), noWait: noWait)
            var iterator = messages.makeAsyncIterator()
            while true {
              let batch = try await iterator.nextBatch(max: settings.batch)
              if batch.isEmpty { break }
              received += batch.count
              for message in batch {
                do {
                  try await message.ack()
                  acked += 1
                } catch {
                  warn("ack: \(error)")
                }
              }
            }
            if received > 0 { break }
          }
        } catch {
          warn("fetch: \(error)")
          break fetching
        }
        if received == 0 { timeouts += 1 }
      }
      return (acked, timeouts, t0)
    }
    do {
      try await client.flush(timeout: .seconds(10))
    } catch {
      warn("flush: \(error)")
    }
    // The server applies acks asynchronously: poll (bounded) until the stream is empty.
    var left: Int64 = -1
    for _ in 0..<2000 where ContinuousClock.now <= deadline {
      if let info = try? await context.streamInfo(settings.stream) {
        left = Int64(clamping: info.state.messages)
        if left == 0 { break }
      }
      try? await Task.sleep(for: .milliseconds(5))
    }
    let secs = seconds(ContinuousClock.now - t0)
    await client.close()
    return BenchResult(
      workload: .jsPullAck, n: n, done: left == 0 ? acked : 0, size: settings.size, seconds: secs,
      extra: [
        ("batch", String(settings.batch)), ("stream_left", String(left)),
        ("fetch_timeouts", String(timeouts)),
      ])
  }
}
