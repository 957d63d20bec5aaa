import Foundation
import GRDB
import JetStream
import Logging
import NATS
import NIOConcurrencyHelpers
import ServiceOperations

/// One work stream and durable consumer a service pulls from. Normally one per service
/// (`WQ_<SERVICE>` / `<service>`); several are allowed so the fallback topology of DESIGN §3
/// (durable consumers directly on the history streams) works without code changes.
public struct WorkStreamBinding: Sendable, Hashable, CustomStringConvertible {
  public var stream: String
  public var consumer: String

  public init(stream: String, consumer: String) {
    self.stream = stream
    self.consumer = consumer
  }

  /// The default binding of a service: `WQ_CHARGE_CAPTURE` / `charge-capture`.
  public static func `default`(service: String) -> WorkStreamBinding {
    WorkStreamBinding(
      stream: "WQ_" + service.uppercased().replacingOccurrences(of: "-", with: "_"), consumer: service)
  }

  /// Parses `STREAM:CONSUMER[,STREAM:CONSUMER…]` (the `WORK_STREAMS` variable).
  public static func parse(_ text: String) throws(ConfigurationError) -> [WorkStreamBinding] {
    var result: [WorkStreamBinding] = []
    for item in text.split(separator: ",") {
      let parts = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw ConfigurationError(setting: "WORK_STREAMS", reason: "'\(item)' is not STREAM:CONSUMER")
      }
      result.append(WorkStreamBinding(stream: parts[0], consumer: parts[1]))
    }
    guard !result.isEmpty else {
      throw ConfigurationError(setting: "WORK_STREAMS", reason: "no STREAM:CONSUMER given")
    }
    return result
  }

  public var description: String { "\(stream)/\(consumer)" }
}

/// A consumer service process: pulls its work stream(s), runs every message through the
/// `EventProcessor` (ledger + effects + outbox in one transaction, then ack), relays notifications,
/// serves /healthz, /readyz and /metrics, and shuts down gracefully on SIGTERM/SIGINT: stop pulling,
/// finish and ack what was already delivered, publish pending notifications, drain, exit.
public final class ConsumerService: Sendable {
  public let configuration: ServiceConfiguration
  public let handler: any ServiceHandler
  public let bindings: [WorkStreamBinding]
  public let metrics: ServiceMetrics
  let logger: Logger
  let state = NIOLockedValueBox(State())
  let listenSignals: Bool
  let maxPayloadBytes: Int
  let afterCommit: (@Sendable (String) -> Void)?

  struct State {
    var shuttingDown = false
    var active: [UUID: JetStreamPullMessages] = [:]
    var bound: Set<WorkStreamBinding> = []
    var client: NATSClient?
    var database: ServiceDatabase?
    var httpPort: Int?
    var shutdownWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
  }

  /// Most messages applied in one transaction (bounded so one batch's +WPI and acks stay prompt).
  /// Under a backlog a larger transaction shares more index pages between events: the processor
  /// benchmark wrote 16.8 KB per event at 256 and 9.7 KB at 1,024, with ~20 % less CPU. The work
  /// consumers' `max_ack_pending` (4,096, streams/README.md) leaves room for a transaction being
  /// applied, one queued behind it and the pulls being prepared.
  static let maxApplyBatch = 1024
  /// How long the last outbox flush may take at exit; what is left waits for the next start.
  static let exitFlushTimeout: Duration = .seconds(5)

  /// Creates a service. `listenSignals: false` is for tests that call `shutdown()` themselves.
  public init(
    configuration: ServiceConfiguration, handler: any ServiceHandler, bindings: [WorkStreamBinding]? = nil,
    logger: Logger, listenSignals: Bool = true, maxPayloadBytes: Int = EventProcessor.defaultMaxPayloadBytes,
    afterCommit: (@Sendable (String) -> Void)? = nil
  ) {
    self.maxPayloadBytes = maxPayloadBytes
    self.afterCommit = afterCommit
    self.configuration = configuration
    self.handler = handler
    self.bindings = bindings ?? [.default(service: handler.serviceName)]
    self.metrics = ServiceMetrics(service: handler.serviceName)
    self.logger = logger
    self.listenSignals = listenSignals
  }

  /// The bound HTTP port once started.
  public var httpPort: Int? { state.withLockedValue { $0.httpPort } }

  /// Begins a graceful shutdown (what SIGTERM does).
  public func shutdown() {
    let (messages, waiters) = state.withLockedValue {
      s -> ([JetStreamPullMessages], [CheckedContinuation<Void, Never>]) in
      s.shuttingDown = true
      let w = Array(s.shutdownWaiters.values)
      s.shutdownWaiters = [:]
      return (Array(s.active.values), w)
    }
    for m in messages { m.stop() }
    for w in waiters { w.resume() }
  }

  var isShuttingDown: Bool { state.withLockedValue { $0.shuttingDown } }

  /// Returns when `shutdown()` is called, or at once if the task is cancelled.
  private func waitForShutdown() async {
    let id = UUID()
    await withTaskCancellationHandler {
      await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
        let now = state.withLockedValue { s -> Bool in
          if s.shuttingDown || Task.isCancelled { return true }
          s.shutdownWaiters[id] = c
          return false
        }
        if now { c.resume() }
      }
    } onCancel: {
      state.withLockedValue { $0.shutdownWaiters.removeValue(forKey: id) }?.resume()
    }
  }

  /// Runs `operation` until it returns or `shutdown()` is called. On shutdown the operation is
  /// cancelled (the client's requests and `Task.sleep` end at once) and the result is nil, unless
  /// it still returned a value (a pull subscription that the caller must stop), so a consumer that
  /// is binding or backing off does not hold the shutdown up for a request timeout or a retry
  /// delay of up to 5 s.
  private func unlessShutDown<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T)
    async throws -> T?
  {
    try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
      group.addTask { .finished(try await operation()) }
      group.addTask { [self] in
        await waitForShutdown()
        return .shutDown
      }
      // Whichever ends first, the other is cancelled (a body that throws cancels the rest itself).
      let first = try await group.next()
      group.cancelAll()
      if case .finished(let value)? = first { return value }
      if case .finished(let value)? = try? await group.next() { return value }
      return nil
    }
  }

  /// Which of `unlessShutDown`'s two tasks ended.
  private enum Outcome<T: Sendable>: Sendable {
    case finished(T)
    case shutDown
  }

  /// Readiness: connected to NATS, every consumer bound, ledger writable.
  public func readiness() async -> Readiness {
    let (client, database, bound) = state.withLockedValue { ($0.client, $0.database, $0.bound) }
    var reasons: [String] = []
    if client?.isConnected != true { reasons.append("nats: not connected") }
    for binding in bindings where !bound.contains(binding) { reasons.append("consumer \(binding) not bound") }
    if let database {
      do {
        try await database.pool.write { db in try db.execute(sql: "SELECT 1") }
      } catch {
        reasons.append("ledger not writable: \(error)")
      }
    } else {
      reasons.append("ledger not open")
    }
    if isShuttingDown { reasons.append("shutting down") }
    return reasons.isEmpty ? .ready : .notReady(reasons)
  }

  /// Runs until shutdown. Throws only for start-up failures (ledger, HTTP port).
  public func run() async throws {
    let name = handler.serviceName
    let database = try ServiceDatabase(path: configuration.ledgerPath, handler: handler)
    state.withLockedValue { $0.database = database }
    let http = OperationsHTTPServer(
      port: configuration.httpPort, registry: metrics.registry,
      readiness: { [self] in await self.readiness() })
    let port = try await http.start()
    state.withLockedValue { $0.httpPort = port }
    logger.notice(
      "\(name) starting",
      metadata: [
        "http_port": "\(port)", "bindings": "\(bindings)", "ledger": "\(configuration.ledgerPath)",
        "allocator": "\(MemoryAllocator.current)",
      ])

    let signalTask: Task<Void, Never>? =
      listenSignals
      ? Task { [self] in
        for await signal in ShutdownSignals.stream() {
          logger.notice("signal \(signal): shutting down")
          shutdown()
          break
        }
      } : nil
    defer { signalTask?.cancel() }

    // Connect (retrying without limit while readiness says "nats: not connected"). A shutdown
    // before the first connection cancels the connect and ends the service here.
    let client: NATSClient
    do {
      let options = Self.clientOptions(configuration, name: name)
      let logger = self.logger
      guard
        let connected = try await unlessShutDown({ try await NATSClient.connect(options, logger: logger) })
      else {
        try? await http.stop()
        logger.notice("\(name) stopped before it connected to NATS")
        return
      }
      client = connected
    } catch {
      try? await http.stop()
      throw error
    }
    state.withLockedValue { $0.client = client }
    let jetStream = JetStreamContext(client: client, logger: logger)
    let processor = EventProcessor(
      handler: handler, database: database, tenants: configuration.tenants,
      deadLetters: JetStreamDeadLetterSink(jetStream: jetStream, logger: logger), logger: logger,
      observer: metrics,
      maxPayloadBytes: maxPayloadBytes, afterCommit: afterCommit)
    let notifications = JetStreamNotificationPublisher(jetStream: jetStream, serviceName: name)
    let relay = NotificationRelay(
      database: database, publisher: notifications, logger: logger, pollInterval: .milliseconds(200),
      batchSize: JetStreamNotificationPublisher.maxInFlight)

    let background = Task {
      await withTaskGroup(of: Void.self) { group in
        group.addTask { await relay.run() }
        group.addTask { [self] in await self.refreshGauges(jetStream: jetStream, database: database) }
        group.addTask { [self] in
          await self.checkpointLoop(database: database) { client.statistics.inMessages }
        }
      }
    }
    await withTaskGroup(of: Void.self) { group in
      for binding in bindings {
        group.addTask { [self] in
          await self.consumeLoop(binding: binding, jetStream: jetStream, processor: processor)
        }
      }
      group.addTask { [self] in await self.waitForShutdown() }
    }

    // Stopped pulling and finished what was delivered: flush the rest out and leave.
    background.cancel()
    await background.value
    // Bounded: PubAck timeouts pause while the connection is down, so without a deadline a
    // shutdown during an outage would wait for the reconnect.
    let flush = Task { try await relay.publishPending() }
    let flushDeadline = Task {
      try await Task.sleep(for: Self.exitFlushTimeout)
      flush.cancel()
    }
    defer { flushDeadline.cancel() }
    do {
      let published = try await flush.value
      if published > 0 { logger.info("published \(published) pending notifications before exit") }
    } catch {
      // Say how many are left and why, so an operator knows what the next start will send.
      let left =
        (try? await database.pool.read { db in try NotificationOutbox.unpublishedCount(db) })
        .map { "\($0)" } ?? "unknown number of"
      let reason =
        error is CancellationError
        ? "the exit flush did not finish within \(Self.exitFlushTimeout) (is the server reachable?)"
        : FailureReason.describe(error)
      logger.warning("\(left) notifications left in the outbox for the next start: \(reason)")
    }
    await notifications.close()
    do {
      try await client.drain(timeout: .seconds(5))
    } catch {
      logger.warning("drain: \(error)")
    }
    try? await http.stop()
    logger.notice("\(name) stopped")
  }

  private func consumeLoop(binding: WorkStreamBinding, jetStream: JetStreamContext, processor: EventProcessor)
    async
  {
    var delay: Duration = .milliseconds(250)
    while !isShuttingDown {
      do {
        let batchSize = configuration.batchSize
        let bound = try await unlessShutDown {
          let consumer = try jetStream.pullConsumer(stream: binding.stream, name: binding.consumer)
          _ = try await consumer.info()
          try await Self.waitForActiveSources(stream: binding.stream, jetStream: jetStream)
          return try await consumer.consume(batch: batchSize, expires: .seconds(30), heartbeat: .seconds(5))
        }
        guard let messages = bound else { break }
        let token = UUID()
        let stopNow = state.withLockedValue { s -> Bool in
          s.bound.insert(binding)
          s.active[token] = messages
          return s.shuttingDown
        }
        if stopNow { messages.stop() }
        logger.info("bound to \(binding)")
        delay = .milliseconds(250)
        // Everything already received is applied together (one transaction, acks after its
        // COMMIT): a busy consumer gets large batches, an idle one handles each event at once.
        // Batches are decoded and checked while earlier ones are applied, and what is queued
        // behind a running transaction joins the next one (EventBatchPipeline).
        var iterator = messages.makeAsyncIterator()
        let pipeline = EventBatchPipeline<JetStreamWorkMessage>(
          processor: processor, maxApplyBatch: Self.maxApplyBatch)
        do {
          while true {
            let batch = try await iterator.nextBatch(max: Self.maxApplyBatch)
            if batch.isEmpty { break }
            logger.trace("pulled", metadata: ["count": "\(batch.count)", "binding": "\(binding)"])
            _ = await pipeline.submit(
              batch.map { JetStreamWorkMessage($0, stream: binding.stream, consumer: binding.consumer) })
          }
        } catch {
          _ = await pipeline.drain()
          throw error
        }
        _ = await pipeline.drain()
        state.withLockedValue { s in
          s.bound.remove(binding)
          s.active.removeValue(forKey: token)
        }
      } catch {
        state.withLockedValue { _ = $0.bound.remove(binding) }
        if isShuttingDown { break }
        logger.warning("consumer \(binding) unavailable, retrying in \(delay): \(error)")
        _ = try? await unlessShutDown { [delay] in try await Task.sleep(for: delay) }
        delay = min(delay * 2, .seconds(5))
      }
    }
  }

  /// Waits until every source of `stream` is established (`active` ≥ 0 in stream info).
  ///
  /// nats-server 2.15.1 sets up a stream's source consumers asynchronously; if a consumer on a
  /// WorkQueue work stream acknowledges messages before a source is established, that source can
  /// start after messages already in its upstream stream, which are then never sourced (reproduced:
  /// docs/ARCHITECTURE.md, "Sourcing"). So nothing is pulled before the sources are active.
  public static func waitForActiveSources(
    stream: String, jetStream: JetStreamContext, timeout: Duration = .seconds(30)
  ) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      let raw = try await jetStream.streamInfoRaw(stream).raw
      let object = try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any]
      let sources = object?["sources"] as? [[String: Any]] ?? []
      let inactive = sources.filter { (($0["active"] as? NSNumber)?.int64Value ?? -1) < 0 }
      if inactive.isEmpty { return }
      if ContinuousClock.now >= deadline {
        let names = inactive.compactMap { $0["name"] as? String }.joined(separator: ", ")
        throw ConfigurationError(setting: "WORK_STREAMS", reason: "sources of \(stream) not active: \(names)")
      }
      try await Task.sleep(for: .milliseconds(25))
    }
  }

  /// Background WAL checkpoints (`ServiceDatabase.checkpoint()`), so commits never pay for them,
  /// as often as `ServiceDatabase.checkpointDelay` says for the rate of `inboundMessages` (the
  /// connection's count of messages received).
  private func checkpointLoop(database: ServiceDatabase, inboundMessages: @Sendable () -> Int) async {
    var failures = 0
    var lastCount = inboundMessages()
    var lastTime = ContinuousClock.now
    while !Task.isCancelled {
      do {
        if try await database.checkpoint() == nil {
          logger.debug("background checkpoint skipped: another connection is checkpointing")
        }
        failures = 0
      } catch {
        failures += 1
        // The writer's own auto-checkpoint still bounds the WAL; say so once per failure streak.
        if failures == 1 { logger.warning("background checkpoint failed: \(error)") }
      }
      let count = inboundMessages()
      let now = ContinuousClock.now
      let seconds = (now - lastTime) / .seconds(1)
      let rate = seconds > 0 ? Double(count - lastCount) / seconds : 0
      (lastCount, lastTime) = (count, now)
      try? await Task.sleep(for: ServiceDatabase.checkpointDelay(messagesPerSecond: rate))
    }
  }

  private func refreshGauges(jetStream: JetStreamContext, database: ServiceDatabase) async {
    while !Task.isCancelled {
      var pending: UInt64 = 0
      var ackPending = 0
      for binding in bindings {
        if let info = try? await jetStream.consumerInfo(stream: binding.stream, name: binding.consumer) {
          pending += info.numPending
          ackPending += info.numAckPending
        }
      }
      metrics.updateConsumer(pending: pending, ackPending: ackPending)
      metrics.updateConnection(jetStream.client.statistics)
      if let count = try? await database.pool.read({ db in try NotificationOutbox.unpublishedCount(db) }) {
        metrics.updateOutbox(unpublished: count)
      }
      try? await Task.sleep(for: .seconds(5))
    }
  }

  /// NATS client options from the service configuration (credentials: creds file, nkey seed file,
  /// token, user/password, in that order; TLS when any TLS file is given or a URL is `tls://`).
  public static func clientOptions(_ configuration: ServiceConfiguration, name: String) -> NATSClientOptions {
    var options = NATSClientOptions(servers: configuration.natsURLs)
    options.name = name
    options.retryOnFailedConnect = true
    options.maxReconnectAttempts = -1
    if let creds = configuration.natsCredsFile {
      options.auth = .credentialsFile(creds)
    } else if let seed = configuration.natsNKeySeedFile {
      options.auth = .nkeySeedFile(seed)
    } else if let token = configuration.natsToken {
      options.auth = .token(token)
    } else if let user = configuration.natsUser, let password = configuration.natsPassword {
      options.auth = .userPassword(user: user, password: password)
    }
    if configuration.tlsCAFile != nil || configuration.tlsCertFile != nil {
      options.tls = NATSTLSOptions(
        caFile: configuration.tlsCAFile, certificateFile: configuration.tlsCertFile,
        keyFile: configuration.tlsKeyFile)
    }
    return options
  }
}
