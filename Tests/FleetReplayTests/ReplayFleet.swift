import ChargeCapture
import CloudEvents
import ConsumerRuntime
import DomainEvents
import FleetReplay
import Foundation
import GRDB
import JetStream
import Logging
import NATS
import NATSTestSupport
import NATSWire
import ServiceOperations
import StreamTopology
import Synchronization
import XCTest

/// A fleet for replay tests (adapted from FleetIntegrationTests' harness): a real nats-server with
/// its own store, the streams/ topology applied (history streams, then work streams, then a wait
/// until every source is active, then the consumers), and charge-capture in-process on demand.
final class ReplayFleet: @unchecked Sendable {
  static let org = "aaaaaaaa-0000-4000-8000-000000000001"
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
  static var streamsDirectory: String { repositoryRoot.appendingPathComponent("streams").path }

  let server: NATSServerProcess
  let client: NATSClient
  let jetStream: JetStreamContext
  let directory: URL
  let logs = ReplayLogCapture()
  let topology: Topology
  private var running: (service: ConsumerService, task: Task<Void, any Error>)?

  init() async throws {
    server = try await NATSServerProcess.start(jetStream: true)
    var options = NATSClientOptions(servers: [server.url])
    options.maxReconnectAttempts = -1
    options.reconnectWait = .milliseconds(100)
    client = try await NATSClient.connect(options, logger: Logger(label: "replay-fleet"))
    jetStream = JetStreamContext(client: client)
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fleet-replay-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    topology = try Topology.load(directory: Self.streamsDirectory)
    try await applyTopology()
  }

  /// History streams first, then the work streams that source them, then wait until every source
  /// is active (docs/ARCHITECTURE.md "Sourcing"), then the durable consumers.
  private func applyTopology() async throws {
    let ordered = topology.streams.sorted { a, b in
      let aSourced = a.config["sources"] != nil
      let bSourced = b.config["sources"] != nil
      return aSourced == bSourced ? a.name < b.name : !aSourced
    }
    for stream in ordered {
      _ = try await jetStream.createStream(rawConfig: stream.config.serialized())
    }
    for stream in ordered where stream.config["sources"] != nil {
      try await ConsumerService.waitForActiveSources(stream: stream.name, jetStream: jetStream)
    }
    for consumer in topology.consumers {
      try await createConsumer(consumer)
    }
  }

  func createConsumer(_ consumer: ConsumerDefinition) async throws {
    _ = try await jetStream.createOrUpdateConsumer(
      stream: consumer.stream, rawConfig: consumer.config.serialized())
  }

  /// The charge-capture durable from streams/.
  var chargeCaptureConsumer: ConsumerDefinition {
    get throws { try XCTUnwrap(topology.consumers(on: "WQ_CHARGE_CAPTURE").first) }
  }

  var ledgerPath: String { directory.appendingPathComponent("charge-capture.sqlite").path }

  /// Starts charge-capture in-process and waits until it is ready.
  func startChargeCapture() async throws {
    let configuration = ServiceConfiguration(
      natsURLs: [server.url], ledgerPath: ledgerPath, tenants: [Self.org], httpPort: 0)
    let logs = self.logs
    var logger = Logger(label: "charge-capture") { _ in logs.handler() }
    logger.logLevel = .info
    let service = ConsumerService(
      configuration: configuration, handler: ChargeCaptureHandler(), logger: logger, listenSignals: false)
    let task = Task { try await service.run() }
    running = (service, task)
    try await eventually("charge-capture ready", timeout: .seconds(15)) {
      await service.readiness() == .ready
    }
  }

  func stopChargeCapture() async throws {
    guard let running else { return }
    self.running = nil
    running.service.shutdown()
    try await running.task.value
  }

  func shutdown() async {
    try? await stopChargeCapture()
    await client.close()
    server.stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// Runs `body`, then shuts the fleet down whether it threw or not.
  static func with(_ body: (ReplayFleet) async throws -> Void) async throws {
    let fleet = try await ReplayFleet()
    do {
      try await body(fleet)
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  /// A count from charge-capture's SQLite file (a fresh read-only connection).
  func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    var config = Configuration()
    config.readonly = true
    let queue = try DatabaseQueue(path: ledgerPath, configuration: config)
    return try queue.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
  }

  var suggestions: Int { get throws { try count("SELECT COUNT(*) FROM pm_charge_suggestions") } }
  var processed: Int {
    get throws { try count("SELECT COUNT(*) FROM fw_domain_events WHERE status = 'processed'") }
  }

  /// Publishes an event in binary mode with Nats-Msg-Id = its id, to its contract subject.
  @discardableResult
  func publish(_ event: CloudEvent) async throws -> PubAck {
    let subject = try XCTUnwrap(DomainEventKind(cloudEventType: event.type)?.subject)
    let (pairs, body) = try CloudEventNATSBinding.encode(event)
    var options = JetStreamPublishOptions()
    options.msgId = event.id
    return try await jetStream.publish(subject, payload: body, headers: NATSHeaders(pairs), options: options)
  }

  func messageCount(_ stream: String) async throws -> UInt64 {
    try await jetStream.streamInfo(stream).state.messages
  }

  func lastSequence(_ stream: String) async throws -> UInt64 {
    try await jetStream.streamInfo(stream).state.lastSequence
  }

  /// Log lines of charge-capture saying "Duplicate event … — skipping".
  var duplicateSkips: Int { logs.all.filter { $0.contains("Duplicate event") }.count }

  /// Options for a quiet replay in tests.
  func options(_ source: ReplaySource, target: ReplayTarget = .automatic) -> ReplayOptions {
    var options = ReplayOptions(source: source, target: target)
    options.progress = .none
    options.topology = topology
    return options
  }
}

/// Waits (bounded) until `condition` holds.
func eventually(
  _ what: String, timeout: Duration = .seconds(20), file: StaticString = #filePath, line: UInt = #line,
  _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if (try? await condition()) == true { return }
    try await Task.sleep(for: .milliseconds(50))
  }
  XCTFail("timed out waiting for: \(what)", file: file, line: line)
  throw CancellationError()
}

/// Captures log lines (message and metadata) of the in-process service and the runner.
final class ReplayLogCapture: Sendable {
  private let lines = Mutex<[String]>([])

  func handler() -> any LogHandler { Handler(capture: self) }

  var all: [String] { lines.withLock { $0 } }

  struct Handler: LogHandler {
    let capture: ReplayLogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
      let line = "\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })"
      capture.lines.withLock { $0.append(line) }
    }
  }
}
