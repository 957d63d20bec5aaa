import ChargeCapture
import ConsumerRuntime
import DomainEvents
import FleetLoad
import Foundation
import GRDB
import JetStream
import Logging
import NATS
import ServiceOperations

/// Events per second through one service (charge-capture) with its durable SQLite ledger, and
/// end-to-end latency at a fixed publish rate.
///
/// 1. Applies the topology the service needs (history streams, DLQ, NOTIFICATIONS, its work
///    stream and durable consumer) from `streamsDirectory`.
/// 2. Transport baseline (`transportBaseline`, on by default): the same mix under another seed,
///    drained through the service's durable with each event acked unprocessed
///    (`TransportBaseline`): what NATS alone delivers to one replica, and its CPU per event.
/// 3. Throughput: publishes a referentially consistent flow mix (encounters with notes, crisis
///    episodes) until the work stream holds `throughputEvents` of the service's events, then
///    starts the service in-process (ledger file in `workDirectory`, WAL) and times first → last
///    commit until every one of them is committed.
/// 4. Latency: with the service running, publishes at `latencyRate` for `latencyDuration` and
///    measures publish call → ledger COMMIT for each of the service's events.
///
/// Bounded: every wait has a deadline and the whole run stops after `timeLimit`.
public enum FleetBenchmark {
  /// Throughput target from the issue: one replica, durable ledger.
  public static let throughputTarget = 20_000.0
  /// p99 latency target from the issue, µs (50 ms at 2,000 events/s).
  public static let p99Target = 50_000.0

  /// The flow mix: the flows whose events charge-capture consumes.
  static func profile(seed: UInt64) -> LoadProfile {
    LoadProfile(
      seed: seed, organizations: 3, duplicateShare: 0, invalidShare: 0,
      weights: [.encounterThenNote: 30, .crisis: 8])
  }

  static let startTime = Date(timeIntervalSince1970: 1_767_225_600)

  /// Runs the benchmark; see the type's documentation.
  public static func run(
    _ options: FleetBenchmarkOptions, logger: Logger = Logger(label: "fleet.benchmark"),
    serviceLogger: Logger? = nil
  ) async throws -> FleetBenchmarkReport {
    try options.validate()
    let deadline = ContinuousClock.now + options.timeLimit
    let handler = ChargeCaptureHandler()
    let consumes = handler.consumes
    let binding = WorkStreamBinding.default(service: handler.serviceName)
    let workStream = binding.stream

    // 1. Topology.
    let topology = try FleetTopology.load(directory: options.streamsDirectory, workStream: workStream)
    var adminOptions = options.client
    adminOptions.name = "fleet-benchmark-admin"
    let admin = try await NATSClient.connect(adminOptions, logger: logger)
    let context = JetStreamContext(client: admin, timeout: .seconds(10), logger: logger)
    do {
      try await topology.apply(context, reset: options.resetStreams)

      // 2. Preload: how many events of the mix give `throughputEvents` of the service's kinds.
      var transport: TransportBaseline?
      if options.transportBaseline {
        // The same mix under another seed (the history streams' duplicate window would drop the
        // main preload's ids), drained ack-only before the service starts.
        let relevant = try await preload(
          seed: options.seed &+ 2, options: options, consumes: consumes, workStream: workStream,
          context: context, deadline: deadline, logger: logger)
        transport = try await TransportBaseline.measure(
          count: relevant, binding: binding, batchSize: options.batchSize, client: options.client,
          serverPID: options.serverPID, deadline: deadline, logger: logger)
        if let transport { logger.info("\(transport.text)") }
      }
      let profile = profile(seed: options.seed)
      let relevant = try await preload(
        seed: options.seed, options: options, consumes: consumes, workStream: workStream, context: context,
        deadline: deadline, logger: logger)

      // 3. The service, in-process, with a fresh ledger file.
      let ledgerPath = options.workDirectory + "/fleet-benchmark-\(UUID().uuidString.prefix(8)).sqlite"
      defer {
        if !options.keepLedger {
          for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: ledgerPath + suffix)
          }
        }
      }
      let tenants = Set(LoadGenerator(profile: profile, startTime: startTime).organizationIDs)
        .union(
          LoadGenerator(profile: Self.profile(seed: options.seed &+ 1), startTime: startTime).organizationIDs)
      let configuration = ServiceConfiguration(
        natsURLs: options.client.servers, natsUser: nil, ledgerPath: ledgerPath, tenants: tenants,
        httpPort: 0,
        logLevel: .warning, batchSize: options.batchSize)
      // The services' own log handler (they bootstrap it in main), so per-event logging costs
      // what it costs in production.
      let quiet =
        serviceLogger
        ?? Logger(label: handler.serviceName) { FleetLogHandler(label: $0, format: .json, level: .warning) }
      let tracker = CommitTracker()
      let service = ConsumerService(
        configuration: configuration, handler: handler, logger: quiet, listenSignals: false,
        afterCommit: { tracker.committed($0) })
      let serviceStart = ContinuousClock.now
      let cpu = CPUSpan(serverPID: options.serverPID)
      let task = Task { try await service.run() }
      do {
        try await waitFor(
          "\(relevant) commits (\(tracker.committedCount) so far)", deadline: deadline,
          timeout: options.timeLimit
        ) { tracker.committedCount >= relevant }
        tracker.stopRecordingCommits()
        let cpuPerEvent = cpu.microsecondsPerEvent(relevant)
        let (first, last) = tracker.window
        let allCommitsSeconds = seconds((last ?? serviceStart) - (first ?? serviceStart))
        let wall = seconds((last ?? serviceStart) - serviceStart)
        let ledger = try ledgerFacts(ledgerPath)
        // Throughput is timed to the last commit of an event processed on its first delivery. The
        // few events retried (a note before its encounter) commit only after their NAK delay, up
        // to seconds later whatever the service's speed; timed to them, the same build measured
        // anywhere between ~7,000 and ~12,000 events/s in 20,000-event runs, depending on when the
        // last such note happened to arrive.
        let firstDelivery = tracker.firstDeliveryCommits(excluding: ledger.retriedEventIds)
        let processingSeconds = seconds((firstDelivery.last ?? serviceStart) - (first ?? serviceStart))

        // 4. Latency at a fixed rate.
        var achievedRate = 0.0
        var latencyEvents = 0
        if options.latencyRate > 0 && options.latencyDuration > .zero {
          let noteRelevant: @Sendable (GeneratedEvent) -> Void = { event in
            if let kind = event.kind, consumes.contains(kind) { tracker.published(event.event.id) }
          }
          let count = max(1, Int(options.latencyRate * seconds(options.latencyDuration)))
          let summary = try await LoadgenRunner.run(
            LoadgenOptions(
              client: options.client, profile: Self.profile(seed: options.seed &+ 1), startTime: startTime,
              count: count, duration: options.latencyDuration + .seconds(5), rate: options.latencyRate,
              connections: 1, maxInFlight: 4096, validatesEnvelopes: false),
            logger: logger, progress: nil, beforePublish: noteRelevant)
          achievedRate = summary.seconds > 0 ? Double(summary.acknowledged) / summary.seconds : 0
          latencyEvents = tracker.matchedCount + tracker.outstanding
          try? await waitFor("latency-phase commits", deadline: deadline, timeout: .seconds(60)) {
            tracker.outstanding == 0
          }
        }
        service.shutdown()
        try? await task.value
        await admin.close()
        let final = try ledgerFacts(ledgerPath)
        let report = FleetBenchmarkReport(
          service: handler.serviceName, throughputEvents: relevant, throughputSeconds: processingSeconds,
          eventsPerSecond: processingSeconds > 0 ? Double(firstDelivery.count - 1) / processingSeconds : 0,
          wallSeconds: wall, throughputRetriedEvents: relevant - firstDelivery.count,
          allCommitsSeconds: allCommitsSeconds,
          ledgerProcessedRows: ledger.processed, ledgerJournalMode: ledger.journalMode,
          latencyRate: options.latencyRate, latencyAchievedRate: achievedRate, latencyEvents: latencyEvents,
          latencyCommitted: tracker.matchedCount, latency: tracker.latency.summary,
          throughputTarget: throughputTarget, p99TargetMicroseconds: p99Target,
          serviceCPUMicrosecondsPerEvent: cpuPerEvent.own, serverCPUMicrosecondsPerEvent: cpuPerEvent.server,
          cores: ProcessInfo.processInfo.activeProcessorCount, ledgerRetriedRows: final.retriedEventIds.count,
          ledgerFailedRows: final.failed, transportBaseline: transport,
          allocator: MemoryAllocator.current.description)
        logger.info("fleet benchmark done: \(String(format: "%.0f", report.eventsPerSecond)) events/s")
        return report
      } catch {
        service.shutdown()
        try? await task.value
        throw error
      }
    } catch {
      await admin.close()
      throw error
    }
  }

  /// Publishes the mix of `seed` until `options.throughputEvents` of the service's kinds are
  /// in it, waits for every PubAck and for the work stream to hold them; returns that count.
  static func preload(
    seed: UInt64, options: FleetBenchmarkOptions, consumes: Set<DomainEventKind>, workStream: String,
    context: JetStreamContext, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> Int {
    let profile = profile(seed: seed)
    var counter = LoadGenerator(profile: profile, startTime: startTime)
    counter.validatesEnvelopes = false
    var total = 0
    var relevant = 0
    while relevant < options.throughputEvents && total < LoadgenOptions.maximumCount {
      let event = counter.next()
      total += 1
      if let kind = event.kind, consumes.contains(kind) { relevant += 1 }
    }
    logger.info("preloading \(total) events (\(relevant) for \(workStream))")
    let preload = try await LoadgenRunner.run(
      LoadgenOptions(
        client: options.client, profile: profile, startTime: startTime, count: total, duration: nil,
        rate: nil,
        connections: 1, maxInFlight: 4096, validatesEnvelopes: false),
      logger: logger)
    guard preload.errors == 0, preload.acknowledged == total else {
      throw PerfError(
        .setup, "preload: \(preload.acknowledged) of \(total) acknowledged, \(preload.errors) errors")
    }
    try await waitFor(
      "\(workStream) to hold \(relevant) messages", deadline: deadline, timeout: .seconds(120)
    ) {
      try await context.streamInfo(workStream).state.messages >= UInt64(relevant)
    }
    return relevant
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  /// Polls `condition` every `interval` until it holds; throws `PerfError(.timeout)` after `timeout`
  /// or at `deadline`, whichever comes first.
  static func waitFor(
    _ what: @autoclosure () -> String, deadline: ContinuousClock.Instant, timeout: Duration,
    interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
  ) async throws {
    let end = min(deadline, ContinuousClock.now + timeout)
    while true {
      if try await condition() { return }
      if ContinuousClock.now >= end { throw PerfError(.timeout, "timed out waiting for \(what())") }
      try await Task.sleep(for: interval)
    }
  }

  /// Processed ledger rows, the event ids of those processed only after a retry
  /// (`retry_count` > 0), failed rows and the journal mode, read through a fresh read-only
  /// connection.
  static func ledgerFacts(_ path: String) throws -> (
    processed: Int, retriedEventIds: Set<String>, failed: Int, journalMode: String
  ) {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    return try queue.read { db in
      func count(_ condition: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(Ledger.tableName) WHERE \(condition)") ?? 0
      }
      let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown"
      let retried = try String.fetchAll(
        db, sql: "SELECT event_id FROM \(Ledger.tableName) WHERE status = 'processed' AND retry_count > 0")
      return (try count("status = 'processed'"), Set(retried), try count("status = 'failed'"), mode)
    }
  }

}
