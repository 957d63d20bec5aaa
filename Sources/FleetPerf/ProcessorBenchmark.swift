import ChargeCapture
import CloudEvents
import ConsumerRuntime
import DomainEvents
import FleetLoad
import Foundation
import GRDB
import Logging
import ServiceOperations
import Synchronization

/// The consumer pipeline alone, without NATS: charge-capture events from the fleet benchmark's
/// flow mix, encoded as binary-mode CloudEvents, through `EventProcessor` in batches (an
/// `EventBatchPipeline`, as `ConsumerService` consumes) into a fresh
/// ledger. Reports wall-clock events/s, CPU per event and bytes written per event, the numbers
/// that bound one replica (docs/BENCHMARKS.md, "Why not 20,000 events/s").
public enum ProcessorBenchmark {
  /// What one run measured.
  public struct Report: Sendable, Codable {
    public var events: Int
    public var batch: Int
    public var seconds: Double
    public var eventsPerSecond: Double
    /// User + system CPU of the whole process per event, µs.
    public var cpuMicrosecondsPerEvent: Double
    /// Bytes the process wrote (`/proc/self/io` wchar) per event; nil where that file is missing.
    public var bytesWrittenPerEvent: Double?
    /// Outcome label → count (every event should be `processed`).
    public var outcomes: [String: Int]
    /// The ledger file, when it was kept.
    public var ledgerPath: String?
    /// Time inside SQLite per statement, most expensive first, when profiled.
    public var statements: [StatementCost]?

    /// A one-line summary.
    public var text: String {
      let bytes = bytesWrittenPerEvent.map { String(format: ", %.1f KB written per event", $0 / 1024) } ?? ""
      let kept = ledgerPath.map { "; ledger kept at \($0)" } ?? ""
      var text = String(
        format:
          "processor: %d events in batches of %d: %.0f events/s, %.1f µs CPU per event%@; outcomes %@%@",
        events, batch, eventsPerSecond, cpuMicrosecondsPerEvent, bytes, outcomes.description, kept)
      for cost in statements ?? [] {
        text += String(
          format: "\n%9.1f ms %8d × %7.1f µs  %@", cost.milliseconds, cost.count,
          cost.milliseconds * 1000 / Double(max(cost.count, 1)), cost.sql)
      }
      return text
    }
  }

  /// SQLite's own time for one statement text over a run (`sqlite3_trace_v2` profile events;
  /// tracing itself slows the run, so compare statements with each other, not with other runs).
  public struct StatementCost: Sendable, Codable {
    /// The SQL, whitespace collapsed, at most 160 characters.
    public var sql: String
    public var count: Int
    public var milliseconds: Double
  }

  /// A generated message, settled in memory.
  struct Message: WorkMessage {
    let subject: String
    let headers: [(String, String)]
    let payload: [UInt8]
    let stream = "WQ_CHARGE_CAPTURE"
    let consumer = "charge-capture"
    let streamSequence: UInt64
    let deliveryCount = 1

    func ack() async throws {}
    func nak(delay: Duration) async throws {}
    func term(reason: String) async throws {}
    func inProgress() async throws {}
  }

  struct DiscardingSink: DeadLetterSink {
    func publish(_ letter: DeadLetter) async throws {}
  }

  /// Runs `events` charge-capture events through the pipeline, `batch` at a time, with the
  /// ledger in `workDirectory` (removed afterwards unless `keepLedger`; then its path is in the report).
  public static func run(
    events: Int, batch: Int, seed: UInt64 = 7, workDirectory: String, keepLedger: Bool = false,
    profileStatements: Bool = false
  ) async throws -> Report {
    guard events > 0, batch > 0 else {
      throw PerfError(.invalidOption, "events and batch must be > 0 (got \(events), \(batch))")
    }
    let handler = ChargeCaptureHandler()
    var generator = LoadGenerator(
      profile: FleetBenchmark.profile(seed: seed), startTime: FleetBenchmark.startTime)
    generator.validatesEnvelopes = false
    var messages: [Message] = []
    messages.reserveCapacity(events)
    var attempts = 0
    while messages.count < events && attempts < LoadgenOptions.maximumCount {
      attempts += 1
      let generated = generator.next()
      guard let kind = generated.kind, handler.consumes.contains(kind) else { continue }
      let (headers, body) = try CloudEventNATSBinding.encode(generated.event, mode: .binary)
      messages.append(
        Message(
          subject: generated.subject, headers: headers + [("Nats-Msg-Id", generated.event.id)], payload: body,
          streamSequence: UInt64(messages.count + 1)))
    }
    let ledger = workDirectory + "/processor-benchmark-\(UUID().uuidString.prefix(8)).sqlite"
    defer {
      if !keepLedger {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ledger + suffix) }
      }
    }
    let database = try ServiceDatabase(path: ledger, handler: handler)
    let costs = Mutex<[String: (count: Int, seconds: Double)]>([:])
    if profileStatements {
      try await database.pool.writeWithoutTransaction { db in
        db.trace(options: .profile) { event in
          guard case .profile(let statement, let duration) = event else { return }
          let sql = statement.sql
          costs.withLock {
            $0[sql, default: (0, 0)].count += 1; $0[sql, default: (0, 0)].seconds += duration
          }
        }
      }
    }
    // The services' own log handler (they bootstrap it in main), as in FleetBenchmark.
    let logger = Logger(label: "fleet.processor-benchmark") {
      FleetLogHandler(label: $0, format: .json, level: .warning)
    }
    let processor = EventProcessor(
      handler: handler, database: database, tenants: Set(generator.organizationIDs),
      deadLetters: DiscardingSink(), logger: logger, progressInterval: nil)

    let cpu0 = ProcessCPU.ownSeconds()
    let written0 = bytesWritten()
    let t0 = ContinuousClock.now
    var outcomes: [String: Int] = [:]
    let pipeline = EventBatchPipeline<Message>(processor: processor, maxApplyBatch: batch)
    var index = 0
    while index < messages.count {
      let done = await pipeline.submit(Array(messages[index..<min(index + batch, messages.count)]))
      for o in done { outcomes["\(o)", default: 0] += 1 }
      index += batch
    }
    for o in await pipeline.drain() { outcomes["\(o)", default: 0] += 1 }
    let seconds = FleetBenchmark.seconds(ContinuousClock.now - t0)
    let cpu = ProcessCPU.ownSeconds() - cpu0
    let written = bytesWritten().flatMap { end in written0.map { Double(end - $0) } }
    return Report(
      events: messages.count, batch: batch, seconds: seconds,
      eventsPerSecond: Double(messages.count) / seconds,
      cpuMicrosecondsPerEvent: cpu * 1e6 / Double(messages.count),
      bytesWrittenPerEvent: written.map { $0 / Double(messages.count) }, outcomes: outcomes,
      ledgerPath: keepLedger ? ledger : nil,
      statements: profileStatements ? statementCosts(costs.withLock { $0 }) : nil)
  }

  static func statementCosts(_ costs: [String: (count: Int, seconds: Double)]) -> [StatementCost] {
    costs.sorted { $0.value.seconds > $1.value.seconds }.map { sql, cost in
      let collapsed = sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
      return StatementCost(
        sql: String(collapsed.prefix(160)), count: cost.count, milliseconds: cost.seconds * 1000)
    }
  }

  /// `wchar` of /proc/self/io (bytes passed to write-like calls), nil where unavailable.
  static func bytesWritten() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
      return Int(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}
