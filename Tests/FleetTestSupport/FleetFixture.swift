import CloudEvents
import ConsumerRuntime
import Foundation
import GRDB
import JetStream
import Logging
import NATS
import NATSTestSupport
import NATSWire
import ServiceOperations
import StreamTopology

/// A fleet for integration tests: a real nats-server with its own store, a client that reconnects
/// forever, a scratch directory, the streams/ topology applied, and consumer services run
/// in-process with their own SQLite ledgers. Test targets subclass it to add their own helpers.
open class FleetFixture: @unchecked Sendable {
  /// The tenant the services serve unless told otherwise.
  public static let orgA = "aaaaaaaa-0000-4000-8000-000000000001"
  /// The checkout this file belongs to.
  public static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
  /// The repository's streams/ folder (the topology every test applies).
  public static var streamsDirectory: String { repositoryRoot.appendingPathComponent("streams").path }

  /// The fixture's own nats-server (JetStream on, a free loopback port, its own store).
  public let server: NATSServerProcess
  /// A client with unlimited reconnects (100 ms apart), so a server restart does not end it.
  public let client: NATSClient
  /// JetStream over `client`.
  public let jetStream: JetStreamContext
  /// A scratch directory for ledgers and checkpoints, removed by `shutdown()`.
  public let directory: URL
  /// Log lines of every service started by `start(_:tenants:maxPayloadBytes:)`.
  public let logs = LogCapture()
  /// The topology loaded from streams/ and applied at start.
  public let topology: Topology
  private let serviceLogLevel: Logger.Level
  /// The services started and not yet stopped, by service name.
  public private(set) var services: [String: RunningService] = [:]

  /// A service running in-process, and the task that runs it.
  public struct RunningService {
    /// The service itself (for readiness and `shutdown()`).
    public let service: ConsumerService
    /// Runs `service.run()`; its value is the service's exit.
    public let task: Task<Void, any Error>
    /// Where its SQLite ledger is.
    public let ledgerPath: String
  }

  /// Starts the server, connects, and applies streams/ with `consumerOverrides` merged into every
  /// consumer's config (e.g. a short ack_wait for crash tests). `clientLabel` names the client's
  /// logger, `directoryPrefix` the scratch directory; services log at `serviceLogLevel`.
  public init(
    clientLabel: String, directoryPrefix: String, serviceLogLevel: Logger.Level = .info,
    consumerOverrides: [String: Any] = [:]
  ) async throws {
    server = try await NATSServerProcess.start(jetStream: true)
    var options = NATSClientOptions(servers: [server.url])
    options.maxReconnectAttempts = -1
    options.reconnectWait = .milliseconds(100)
    client = try await NATSClient.connect(options, logger: Logger(label: clientLabel))
    jetStream = JetStreamContext(client: client)
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(directoryPrefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    topology = try Topology.load(directory: Self.streamsDirectory)
    self.serviceLogLevel = serviceLogLevel
    try await applyTopology(consumerOverrides: consumerOverrides)
  }

  /// History streams first, then the work streams that source them, then wait until every source
  /// is active (docs/ARCHITECTURE.md "Sourcing"), then the durable consumers.
  private func applyTopology(consumerOverrides: [String: Any]) async throws {
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
      try await createConsumer(consumer, overrides: consumerOverrides)
    }
  }

  /// Creates (or updates) a durable from streams/, with `overrides` merged into its config.
  public func createConsumer(_ consumer: ConsumerDefinition, overrides: [String: Any] = [:]) async throws {
    var body = consumer.config.serialized()
    if !overrides.isEmpty,
      var object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    {
      for (k, v) in overrides { object[k] = v }
      body = Array(try JSONSerialization.data(withJSONObject: object))
    }
    _ = try await jetStream.createOrUpdateConsumer(stream: consumer.stream, rawConfig: body)
  }

  /// Starts a service in-process and waits until it is ready.
  @discardableResult
  public func start(_ handler: any ServiceHandler, tenants: Set<String> = [orgA], maxPayloadBytes: Int? = nil)
    async throws -> ConsumerService
  {
    let name = handler.serviceName
    let ledgerPath = self.ledgerPath(name)
    let configuration = ServiceConfiguration(
      natsURLs: [server.url], ledgerPath: ledgerPath, tenants: tenants, httpPort: 0)
    let logs = self.logs
    var logger = Logger(label: name) { _ in logs.handler() }
    logger.logLevel = serviceLogLevel
    let service = ConsumerService(
      configuration: configuration, handler: handler, logger: logger, listenSignals: false,
      maxPayloadBytes: maxPayloadBytes ?? EventProcessor.defaultMaxPayloadBytes)
    let task = Task { try await service.run() }
    services[name] = RunningService(service: service, task: task, ledgerPath: ledgerPath)
    try await eventually("\(name) ready", timeout: .seconds(15)) { await service.readiness() == .ready }
    return service
  }

  /// Shuts a service down gracefully and waits until it has stopped; nothing if it is not running.
  public func stop(_ name: String) async throws {
    guard let running = services.removeValue(forKey: name) else { return }
    running.service.shutdown()
    try await running.task.value
  }

  /// Stops every service, closes the client, stops the server and removes the directory.
  open func shutdown() async {
    for name in Array(services.keys) { try? await stop(name) }
    await client.close()
    server.stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// Where a service's SQLite ledger is (or will be).
  public func ledgerPath(_ service: String) -> String {
    services[service]?.ledgerPath ?? directory.appendingPathComponent("\(service).sqlite").path
  }

  /// Reads a service's SQLite file (a fresh read-only connection each time).
  public func query<T>(_ service: String, _ body: (Database) throws -> T) throws -> T {
    var config = Configuration()
    config.readonly = true
    let queue = try DatabaseQueue(path: ledgerPath(service), configuration: config)
    return try queue.read(body)
  }

  /// A count from a service's SQLite file.
  public func count(_ service: String, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    try query(service) { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
  }

  /// Publishes an event in binary mode to `subject`, with Nats-Msg-Id = its id (or `msgId`).
  @discardableResult
  public func publish(_ event: CloudEvent, to subject: String, msgId: String? = nil) async throws -> PubAck {
    let (pairs, body) = try CloudEventNATSBinding.encode(event)
    var options = JetStreamPublishOptions()
    options.msgId = msgId ?? event.id
    return try await jetStream.publish(subject, payload: body, headers: NATSHeaders(pairs), options: options)
  }

  /// How many messages `stream` holds now.
  public func messageCount(_ stream: String) async throws -> UInt64 {
    try await jetStream.streamInfo(stream).state.messages
  }
}
