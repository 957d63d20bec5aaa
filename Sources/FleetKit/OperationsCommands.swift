import ArgumentParser
import EventPublishing
import FleetLoad
import FleetPerf
import FleetReplay
import Foundation
import JetStream
import Logging
import NATS
import StreamTopology

/// `fleet publish --file EVENTS.jsonl` (or stdin): structured-mode CloudEvents, one per line,
/// each validated; bad lines are reported with their number and reason, the good ones published.
public struct PublishEventsCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "publish", abstract: "Publish CloudEvents from JSON lines (a file or standard input).")

  @OptionGroup var connection: ConnectionOptions
  @Option(name: .long, help: "JSON-lines file of structured-mode CloudEvents (default: standard input).")
  var file: String?
  @Option(name: .long, help: "Publish every event to this subject instead of its contract subject.")
  var subject: String?
  @Flag(name: .long, help: "Validate only; publish nothing.")
  var dryRun = false

  public init() {}

  public func run() async throws {
    let console = FleetConsole.current
    let report: JSONLinesReport
    if dryRun {
      report =
        if let file {
          try await JSONLinesPublisher.validate(byteLines: FileLineSequence(path: file), subject: subject)
        } else {
          try await JSONLinesPublisher.validate(
            byteLines: FileLineSequence(handle: .standardInput), subject: subject)
        }
    } else {
      report = try await FleetConnection.withClient(connection) { client in
        let publisher = EventPublisher(jetStream: JetStreamContext(client: client))
        let lines = JSONLinesPublisher(publisher: publisher, subject: subject)
        return if let file { try await lines.run(fileAt: file) } else {
          try await lines.run(byteLines: FileLineSequence(handle: .standardInput))
        }
      }
    }
    for error in report.errors { console.printError("line \(error.line): \(error.reason)") }
    console.print(
      "read \(report.read), published \(report.published), duplicates \(report.duplicates), invalid \(report.invalid), failed \(report.failed)"
    )
    if !report.isClean { throw ExitCode(1) }
  }
}

/// `fleet replay`: stream backfill, JSON-lines replay and DLQ re-drive (see docs/REPLAY.md).
public struct ReplayCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay a history stream range, a JSON-lines file or the DLQ into a target.",
    discussion: """
      Sources: --stream S [--start SEQ|TIME] [--end SEQ|TIME] [--subject F ...] | --file F | --dlq [--service N]
      Targets: original subject (default; fans out), --to SUBJECT, --to-service NAME (replay.<name>.<subject>)
      Every message gets a fresh Nats-Msg-Id replay:<run>:<event id>; consumers' ledgers skip duplicates.
      """)

  @OptionGroup var connection: ConnectionOptions
  @Option(help: "History stream to read.") var stream: String?
  @Option(help: "Start: a stream sequence or an RFC 3339 time.") var start: String?
  @Option(help: "End (inclusive): a stream sequence or an RFC 3339 time.") var end: String?
  @Option(name: .customLong("subject"), help: "Subject filter (repeatable).") var subjects: [String] = []
  @Option(help: "JSON-lines file of structured-mode CloudEvents.") var file: String?
  @Flag(help: "Re-drive dead letters from the DLQ stream.") var dlq = false
  @Option(help: "With --dlq: only this service's dead letters.") var service: String?
  @Option(help: "Publish everything to this subject.") var to: String?
  @Option(name: .customLong("to-service"), help: "Publish to one service's work stream only.") var toService:
    String?
  @Option(help: "Messages per second.") var rate: Double?
  @Option(help: "Checkpoint file (written periodically and at the end).") var checkpoint: String?
  @Flag(help: "Continue from the checkpoint with the same run id.") var resume = false
  @Flag(name: .long, help: "Read and validate, publish nothing.") var dryRun = false
  @Option(name: .long, help: "Stop after this many messages.") var maxMessages: Int?
  @Option(name: .long, help: "Run id (default: generated).") var runId: String?
  @Option(name: .long, help: "Topology directory used to check --to-service and explain fan-out.") var dir =
    "streams"

  public init() {}

  public func run() async throws {
    let sourceCount = [stream != nil, file != nil, dlq].filter { $0 }.count
    guard sourceCount == 1 else {
      throw ValidationError("give exactly one source: --stream, --file or --dlq")
    }
    let source: ReplaySource
    if let stream {
      source = .stream(
        ReplayStreamRange(
          stream: stream, start: try start.map { try ReplayPosition.parse($0) } ?? .sequence(1),
          end: try end.map { try ReplayPosition.parse($0) }))
    } else if let file {
      source = .jsonLines(path: file)
    } else {
      source = .deadLetters(ReplayDeadLetterSelection(stream: "DLQ", service: service, start: nil))
    }
    let target: ReplayTarget =
      if let to { .subject(to) } else if let toService { .service(toService) } else { .automatic }
    var options = ReplayOptions(source: source, target: target)
    options.subjectFilters = subjects
    options.rate = rate
    options.checkpointPath = checkpoint
    options.resume = resume
    options.dryRun = dryRun
    options.maxMessages = maxMessages
    options.runID = runId
    options.topology = try? Topology.load(directory: dir)
    let replayOptions = options
    let summary = try await FleetConnection.withClient(connection) { client in
      let runner = ReplayRunner(
        jetStream: JetStreamContext(client: client), logger: Logger(label: "fleet.replay"))
      let task = Task { try await runner.run(replayOptions) }
      let registration = FleetConsole.current.onInterrupt { task.cancel() }
      defer { _ = registration }
      return try await task.value
    }
    FleetConsole.current.print(summary.description)
    if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
  }
}

/// `fleet loadgen`: realistic, referentially consistent event flows at a target rate.
public struct LoadgenCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "loadgen", abstract: "Publish a realistic, deterministic mix of every event contract.")

  @OptionGroup var connection: ConnectionOptions
  @Option(help: "Seed (same seed, same events).") var seed: UInt64 = 42
  @Option(help: "Number of organizations.") var organizations = 3
  @Option(help: "Events to publish.") var count: Int?
  @Option(help: "Seconds to run.") var duration: Double?
  @Option(help: "Target events per second (default: as fast as possible).") var rate: Double?
  @Option(help: "Connections.") var connections = 1
  @Option(name: .long, help: "PubAcks in flight per connection.") var maxInFlight = 1024
  @Option(name: .long, help: "Share of duplicate events (0…0.5).") var duplicates = 0.02
  @Option(name: .long, help: "Share of invalid events (0…0.5).") var invalid = 0.01
  @Option(name: .long, help: "Write the JSON summary here.") var summary: String?
  @Flag(name: .long, help: "Print the organization ids of this seed and exit.") var listOrganizations = false

  public init() {}

  public func run() async throws {
    let profile = LoadProfile(
      seed: seed, organizations: organizations, duplicateShare: duplicates, invalidShare: invalid)
    let console = FleetConsole.current
    if listOrganizations {
      console.print(LoadGenerator(profile: profile, startTime: Date()).organizationIDs.joined(separator: ","))
      return
    }
    let options = LoadgenOptions(
      client: try connection.makeClientOptions(), profile: profile, count: count,
      duration: duration.map { .milliseconds(Int64($0 * 1000)) }, rate: rate, connections: connections,
      maxInFlight: maxInFlight, summaryPath: summary)
    let result = try await LoadgenRunner.run(options, logger: Logger(label: "fleet.loadgen")) { progress in
      console.printError("loadgen: \(progress)")
    }
    console.print(
      String(
        format:
          "loadgen: published %d (acked %d, duplicates %d, invalid %d, errors %d) in %.1f s = %.0f events/s; PubAck p50 %.2f ms p99 %.2f ms",
        result.published, result.acknowledged, result.duplicates, result.invalid, result.errors,
        result.seconds,
        result.eventsPerSecond, result.pubAckLatency.p50 / 1e3, result.pubAckLatency.p99 / 1e3))
    if result.errors > 0 { throw ExitCode(1) }
  }
}

/// `fleet bench WORKLOAD`: the peer-benchmark workloads (RESULT line format of bench-peers).
public struct BenchCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Run a peer-benchmark workload (core_pub, core_pubsub, js_pub_async, js_pub_sync, js_pull_ack)."
  )

  @Argument(help: "Workload.") var workload: String
  @Option(help: "Server URL.") var server = "nats://127.0.0.1:4222"
  @Option(help: "Messages.") var n: Int

  public init() {}

  public func run() async throws {
    let result = try await BenchRunner.run(
      workload: workload, url: server, n: n,
      settings: BenchSettings(environment: ProcessInfo.processInfo.environment))
    FleetConsole.current.print(result.resultLine)
    if !result.ok { throw ExitCode(1) }
  }
}

/// `fleet benchmark`: events per second through charge-capture with its durable ledger, then
/// end-to-end latency (publish → committed effect) at a fixed rate (docs/BENCHMARKS.md).
public struct FleetBenchmarkCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "benchmark",
    abstract:
      "Throughput and end-to-end latency of one consumer service (charge-capture) with its SQLite ledger.")

  @OptionGroup var connection: ConnectionOptions
  @Option(help: "The streams/ directory to apply.") var streams = "streams"
  @Option(name: .customLong("work-dir"), help: "Where the ledger file goes.") var workDir = FileManager
    .default
    .temporaryDirectory.path
  @Option(help: "Events for the throughput phase.") var events = 20_000
  @Option(help: "Events per second for the latency phase.") var rate = 2_000.0
  @Option(help: "Seconds of the latency phase.") var seconds = 10.0
  @Option(help: "Seed of the generated events.") var seed: UInt64 = 7
  @Flag(help: "Delete and recreate the streams first.") var reset = false
  @Flag(help: "Print the report as JSON.") var json = false
  @Option(help: "Pid of the local nats-server, to report its CPU per event as well.")
  var serverPid: Int32?
  @Flag(help: "Skip the transport baseline (the same work queue drained ack-only before the service starts).")
  var noTransportBaseline = false

  public init() {}

  public func run() async throws {
    let options = FleetBenchmarkOptions(
      client: try connection.makeClientOptions(), streamsDirectory: streams, workDirectory: workDir,
      throughputEvents: events, latencyRate: rate, latencyDuration: .milliseconds(Int64(seconds * 1000)),
      seed: seed,
      resetStreams: reset, serverPID: serverPid, transportBaseline: !noTransportBaseline)
    let report = try await FleetBenchmark.run(options, logger: Logger(label: "fleet.benchmark"))
    FleetConsole.current.print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : report.text)
  }
}

/// `fleet benchmark-processor`: the consumer pipeline alone (no NATS): events/s, CPU and bytes
/// written per event through `EventProcessor` and a fresh charge-capture ledger.
public struct ProcessorBenchmarkCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "benchmark-processor",
    abstract:
      "Events through charge-capture's EventProcessor and ledger without NATS: events/s, CPU and bytes per event."
  )

  @Option(name: .customLong("work-dir"), help: "Where the ledger file goes.") var workDir = FileManager
    .default
    .temporaryDirectory.path
  @Option(help: "Events to process.") var events = 15_000
  @Option(help: "Events per batch (one transaction each).") var batch = 64
  @Option(help: "Seed of the generated events.") var seed: UInt64 = 7
  @Flag(help: "Print the report as JSON.") var json = false
  @Flag(help: "Keep the ledger file afterwards (its path is printed), to inspect its pages.") var keepLedger =
    false
  @Flag(help: "Print SQLite's time per statement (tracing slows the run; compare statements, not runs).")
  var profileStatements = false

  public init() {}

  public func run() async throws {
    let report = try await ProcessorBenchmark.run(
      events: events, batch: batch, seed: seed, workDirectory: workDir, keepLedger: keepLedger,
      profileStatements: profileStatements)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      FleetConsole.current.print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } else {
      FleetConsole.current.print(report.text)
    }
  }
}
