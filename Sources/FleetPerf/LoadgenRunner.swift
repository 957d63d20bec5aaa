import CloudEvents
import EventPublishing
import FleetLoad
import Foundation
import JetStream
import Logging
import NATS
import NATSWire
import Synchronization

/// Publishes a realistic, referentially consistent event mix (`FleetLoad.LoadGenerator`) to the
/// history subjects through JetStream async publishers, and measures PubAck latency.
///
/// - Each event goes to its subject as a binary-mode CloudEvent with `Nats-Msg-Id` = its id
///   (`CloudEventMessage.encode`). A re-emitted duplicate gets the fresh id `dup:<n>:<id>`
///   (`n` = its position in the run) so that the stream stores it and the consumers see it again:
///   their ledgers must skip it.
/// - Events go round-robin over `connections` connections, each with a bounded window of
///   `maxInFlight` unacknowledged publishes; a full window slows the generator down.
/// - With `rate` the publishes follow a fixed schedule (`i / rate` seconds after the start);
///   without it, as fast as the window allows.
/// - Latency is measured from the publish call to the moment the PubAck is seen by the
///   connection's collector, which reads acks in publish order.
public enum LoadgenRunner {
  /// Runs a load generation and returns its summary (also written to `summaryPath` when set).
  ///
  /// - Throws: `PerfError(.invalidOption)` for bad options; connection errors from `NATSClient`;
  ///   `PerfError(.io)` when the summary file cannot be written. Publish failures during the run
  ///   are counted in the summary, not thrown.
  public static func run(
    _ options: LoadgenOptions, logger: Logger = Logger(label: "fleet.loadgen"),
    progress: (@Sendable (LoadgenProgress) -> Void)? = nil
  ) async throws -> LoadgenSummary {
    try await run(options, logger: logger, progress: progress, beforePublish: nil)
  }

  /// The run, with a hook called just before each event is handed to its connection (the fleet
  /// benchmark notes the publish time of each event id there).
  static func run(
    _ options: LoadgenOptions, logger: Logger, progress: (@Sendable (LoadgenProgress) -> Void)?,
    beforePublish: (@Sendable (GeneratedEvent) -> Void)?
  ) async throws -> LoadgenSummary {
    try options.validate()
    var clients: [NATSClient] = []
    var publishers: [JetStreamAsyncPublisher] = []
    do {
      for index in 0..<options.connections {
        var clientOptions = options.client
        clientOptions.name = clientOptions.name ?? "fleet-loadgen-\(index)"
        let client = try await NATSClient.connect(clientOptions, logger: logger)
        clients.append(client)
        let context = JetStreamContext(client: client, logger: logger)
        publishers.append(
          try JetStreamAsyncPublisher(
            context: context, maxPending: options.maxInFlight, ackTimeout: options.ackTimeout))
      }
    } catch {
      for client in clients { await client.close() }
      throw error
    }
    logger.info(
      "loadgen starting",
      metadata: [
        "seed": "\(options.profile.seed)", "connections": "\(options.connections)",
        "count": "\(options.count.map(String.init) ?? "-")",
        "rate": "\(options.rate.map { "\($0)" } ?? "max")",
      ])
    let recorder = LatencyRecorder()
    let live = LiveCounts()
    let start = ContinuousClock.now
    let (produced, collected) = await withTaskGroup(of: CollectorResult.self) {
      group -> (ProducerResult, [CollectorResult]) in
      var continuations: [AsyncStream<InFlight>.Continuation] = []
      for _ in 0..<options.connections {
        let (stream, continuation) = AsyncStream<InFlight>.makeStream()
        continuations.append(continuation)
        group.addTask { await collect(stream, recorder: recorder, live: live) }
      }
      let produced = await produce(
        options: options, publishers: publishers, sinks: continuations, start: start, live: live,
        progress: progress, beforePublish: beforePublish, logger: logger)
      for continuation in continuations { continuation.finish() }
      var collected: [CollectorResult] = []
      for await result in group { collected.append(result) }
      return (produced, collected)
    }
    for publisher in publishers { await publisher.close() }
    for client in clients { await client.close() }

    let lastAck = collected.compactMap { $0.lastAck }.max() ?? ContinuousClock.now
    let elapsed = lastAck - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let acknowledged = collected.reduce(0) { $0 + $1.acknowledged }
    var errorSamples = produced.errorSamples
    for result in collected { errorSamples += result.errorSamples }
    let summary = LoadgenSummary(
      seed: options.profile.seed, published: produced.published, acknowledged: acknowledged,
      duplicateAcks: collected.reduce(0) { $0 + $1.duplicateAcks },
      errors: produced.errors + collected.reduce(0) { $0 + $1.errors }, duplicates: produced.duplicates,
      invalid: produced.invalid, byKind: produced.byKind, byFlow: produced.byFlow,
      byInvalidity: produced.byInvalidity, bySubject: produced.bySubject, seconds: seconds,
      eventsPerSecond: seconds > 0 ? Double(acknowledged) / seconds : 0, targetRate: options.rate,
      connections: options.connections, maxInFlight: options.maxInFlight, pubAckLatency: recorder.summary,
      eventIDDigest: String(format: "%016llx", produced.digest), firstEventID: produced.firstEventID,
      lastEventID: produced.lastEventID, stoppedBy: produced.stoppedBy,
      errorSamples: Array(errorSamples.prefix(5)))
    logger.info(
      "loadgen done",
      metadata: [
        "published": "\(summary.published)", "acknowledged": "\(summary.acknowledged)",
        "errors": "\(summary.errors)", "seconds": "\(String(format: "%.3f", seconds))",
      ])
    if let path = options.summaryPath { try summary.write(to: path) }
    return summary
  }

  // MARK: producer

  struct InFlight: Sendable {
    var future: JetStreamPubAckFuture
    var sentAt: ContinuousClock.Instant
  }

  /// Acknowledgements and errors seen by the collectors so far (for progress reports).
  final class LiveCounts: Sendable {
    struct Counts {
      var acknowledged = 0
      var errors = 0
    }
    private let counts = Mutex(Counts())

    func add(acknowledged: Int, errors: Int) {
      counts.withLock {
        $0.acknowledged += acknowledged
        $0.errors += errors
      }
    }

    var current: Counts { counts.withLock { $0 } }
  }

  struct ProducerResult {
    var published = 0
    var errors = 0
    var duplicates = 0
    var invalid = 0
    var byKind: [String: Int] = [:]
    var byFlow: [String: Int] = [:]
    var byInvalidity: [String: Int] = [:]
    var bySubject: [String: Int] = [:]
    var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    var firstEventID: String?
    var lastEventID: String?
    var stoppedBy = "count"
    var errorSamples: [String] = []

    mutating func fold(id: String) {
      for byte in id.utf8 {
        digest ^= UInt64(byte)
        digest = digest &* 0x100_0000_01b3
      }
      digest ^= 0x0a
      digest = digest &* 0x100_0000_01b3
    }

    mutating func noteError(_ text: String) {
      errors += 1
      if errorSamples.count < 5 { errorSamples.append(text) }
    }
  }

  /// Consecutive failed publishes after which the run gives up (the connection is gone).
  static let maximumConsecutiveFailures = 100

  private static func produce(
    options: LoadgenOptions, publishers: [JetStreamAsyncPublisher],
    sinks: [AsyncStream<InFlight>.Continuation],
    start: ContinuousClock.Instant, live: LiveCounts, progress: (@Sendable (LoadgenProgress) -> Void)?,
    beforePublish: (@Sendable (GeneratedEvent) -> Void)?, logger: Logger
  ) async -> ProducerResult {
    var result = ProducerResult()
    var generator = LoadGenerator(profile: options.profile, startTime: options.startTime)
    generator.validatesEnvelopes = options.validatesEnvelopes
    let end = start + options.timeLimit
    let limit = options.countLimit
    var nextProgress = start + .seconds(1)
    var consecutiveFailures = 0
    var index = 0
    while true {
      if index >= limit {
        result.stoppedBy = "count"
        break
      }
      var now = ContinuousClock.now
      if now >= end {
        result.stoppedBy = "duration"
        break
      }
      if Task.isCancelled {
        result.stoppedBy = "cancelled"
        break
      }
      if let rate = options.rate {
        let due = start + .seconds(Double(index) / rate)
        // Sleep only when at least a millisecond ahead; smaller gaps are sent at once.
        if due - now >= .milliseconds(1) {
          try? await Task.sleep(until: min(due, end), clock: .continuous)
          now = ContinuousClock.now
          if now >= end {
            result.stoppedBy = "duration"
            break
          }
        }
      }
      if let progress, now >= nextProgress {
        nextProgress = now + .seconds(1)
        let counts = live.current
        let elapsed = now - start
        progress(
          LoadgenProgress(
            published: result.published, acknowledged: counts.acknowledged,
            errors: result.errors + counts.errors,
            elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
          ))
      }
      let generated = generator.next()
      index += 1
      let eventID = generated.event.id
      let msgId = generated.isDuplicate ? "dup:\(index):\(eventID)" : eventID
      result.fold(id: eventID)
      if result.firstEventID == nil { result.firstEventID = eventID }
      result.lastEventID = eventID
      result.byKind[generated.kind?.rawValue ?? "unknown", default: 0] += 1
      result.byFlow[generated.flow.rawValue, default: 0] += 1
      result.bySubject[generated.subject, default: 0] += 1
      if generated.isDuplicate { result.duplicates += 1 }
      if let invalidity = generated.invalidity {
        result.invalid += 1
        result.byInvalidity[invalidity.rawValue, default: 0] += 1
      }
      let message: (headers: NATSHeaders, body: [UInt8])
      do {
        message = try CloudEventMessage.encode(generated.event, msgId: msgId)
      } catch {
        result.published += 1
        result.noteError("event \(eventID): cannot encode: \(error)")
        continue
      }
      let slot = (index - 1) % publishers.count
      beforePublish?(generated)
      let sentAt = ContinuousClock.now
      result.published += 1
      do {
        let future = try await publishers[slot].publish(
          generated.subject, payload: message.body, headers: message.headers,
          options: JetStreamPublishOptions(msgId: msgId))
        sinks[slot].yield(InFlight(future: future, sentAt: sentAt))
        consecutiveFailures = 0
      } catch {
        result.noteError("event \(eventID): publish failed: \(error)")
        consecutiveFailures += 1
        if consecutiveFailures >= maximumConsecutiveFailures {
          logger.error("loadgen stopping: \(consecutiveFailures) publishes failed in a row: \(error)")
          result.stoppedBy = "error"
          break
        }
      }
    }
    return result
  }

  // MARK: collector

  struct CollectorResult: Sendable {
    var acknowledged = 0
    var duplicateAcks = 0
    var errors = 0
    var lastAck: ContinuousClock.Instant?
    var errorSamples: [String] = []
  }

  /// Reads one connection's futures in publish order; records latency and counts outcomes.
  private static func collect(
    _ stream: AsyncStream<InFlight>, recorder: LatencyRecorder, live: LiveCounts
  ) async -> CollectorResult {
    var result = CollectorResult()
    var batch: [Duration] = []
    batch.reserveCapacity(256)
    var pendingAcks = 0
    var pendingErrors = 0
    for await item in stream {
      let outcome: Result<PubAck, any Error>
      if let ready = item.future.result {
        outcome = ready
      } else {
        do {
          outcome = .success(try await item.future.value())
        } catch {
          outcome = .failure(error)
        }
      }
      let now = ContinuousClock.now
      result.lastAck = now
      switch outcome {
      case .success(let ack):
        result.acknowledged += 1
        pendingAcks += 1
        if ack.duplicate { result.duplicateAcks += 1 }
        batch.append(now - item.sentAt)
      case .failure(let error):
        result.errors += 1
        pendingErrors += 1
        if result.errorSamples.count < 5 {
          result.errorSamples.append("message \(item.future.msgId): \(error)")
        }
      }
      if batch.count >= 256 || pendingErrors > 0 {
        recorder.record(batch)
        batch.removeAll(keepingCapacity: true)
        let (acks, errs) = (pendingAcks, pendingErrors)
        live.add(acknowledged: acks, errors: errs)
        pendingAcks = 0
        pendingErrors = 0
      }
    }
    recorder.record(batch)
    let (acks, errs) = (pendingAcks, pendingErrors)
    live.add(acknowledged: acks, errors: errs)
    return result
  }
}
