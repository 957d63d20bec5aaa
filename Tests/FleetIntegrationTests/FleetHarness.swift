import CareTransitions
import ChargeCapture
import CloudEvents
import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import GRIncidents
import JetStream
import LeadReconciliation
import Logging
import NATS
import NATSTestSupport
import NATSWire
import ServiceOperations
import StreamTopology
import Synchronization
import XCTest

/// A whole fleet for end-to-end tests: a real nats-server with its own store, the topology from
/// streams/ applied, and consumer services running in-process with their own SQLite ledgers.
final class FleetHarness: @unchecked Sendable {
  static let orgA = "aaaaaaaa-0000-4000-8000-000000000001"
  static let orgB = "bbbbbbbb-0000-4000-8000-000000000002"
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  let server: NATSServerProcess
  let client: NATSClient
  let jetStream: JetStreamContext
  let directory: URL
  let logs = LogCapture()
  private(set) var services: [String: RunningService] = [:]

  struct RunningService {
    let service: ConsumerService
    let task: Task<Void, any Error>
    let ledgerPath: String
  }

  init(consumerOverrides: [String: Any] = [:]) async throws {
    server = try await NATSServerProcess.start(jetStream: true)
    var options = NATSClientOptions(servers: [server.url])
    options.maxReconnectAttempts = -1
    options.reconnectWait = .milliseconds(100)
    client = try await NATSClient.connect(options, logger: Logger(label: "harness"))
    jetStream = JetStreamContext(client: client)
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fleet-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try await applyTopology(consumerOverrides: consumerOverrides)
  }

  /// Applies streams/ (history streams before the work streams that source them), with optional
  /// consumer config overrides (e.g. a short ack_wait for crash tests).
  func applyTopology(consumerOverrides: [String: Any]) async throws {
    let topology = try Topology.load(directory: Self.repositoryRoot.appendingPathComponent("streams").path)
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
      var body = consumer.config.serialized()
      if !consumerOverrides.isEmpty,
        var object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
      {
        for (k, v) in consumerOverrides { object[k] = v }
        body = Array(try JSONSerialization.data(withJSONObject: object))
      }
      _ = try await jetStream.createOrUpdateConsumer(stream: consumer.stream, rawConfig: body)
    }
  }

  /// Starts a service in-process and waits until it is ready.
  @discardableResult
  func start(_ handler: any ServiceHandler, tenants: Set<String> = [orgA], maxPayloadBytes: Int? = nil)
    async throws -> ConsumerService
  {
    let name = handler.serviceName
    let ledgerPath = directory.appendingPathComponent("\(name).sqlite").path
    let configuration = ServiceConfiguration(
      natsURLs: [server.url], ledgerPath: ledgerPath, tenants: tenants, httpPort: 0)
    var logger = Logger(label: name) { _ in self.logs.handler() }
    logger.logLevel = ProcessInfo.processInfo.environment["FLEET_TEST_DEBUG"] != nil ? .trace : .info
    let service = ConsumerService(
      configuration: configuration, handler: handler, logger: logger, listenSignals: false,
      maxPayloadBytes: maxPayloadBytes ?? EventProcessor.defaultMaxPayloadBytes)
    let task = Task { try await service.run() }
    services[name] = RunningService(service: service, task: task, ledgerPath: ledgerPath)
    try await eventually("\(name) ready", timeout: .seconds(15)) { await service.readiness() == .ready }
    return service
  }

  func stop(_ name: String) async throws {
    guard let running = services.removeValue(forKey: name) else { return }
    running.service.shutdown()
    try await running.task.value
  }

  func shutdown() async {
    if ProcessInfo.processInfo.environment["FLEET_TEST_DEBUG"] != nil {
      for line in logs.all { print("LOG", line) }
      for name in ["CL_PM_EVENTS", "REGISTRATION", "WQ_CHARGE_CAPTURE", "WQ_CARE_TRANSITIONS"] {
        if let raw = try? await jetStream.streamInfoRaw(name) {
          print("STREAM", String(decoding: raw.raw, as: UTF8.self))
        }
      }
      if let raw = try? await jetStream.consumerInfoRaw(stream: "WQ_CHARGE_CAPTURE", name: "charge-capture") {
        print("CONSUMER", String(decoding: raw.raw, as: UTF8.self))
      }
    }
    for name in Array(services.keys) { try? await stop(name) }
    await client.close()
    server.stop()
    try? FileManager.default.removeItem(at: directory)
  }

  func ledgerPath(_ service: String) -> String {
    services[service]?.ledgerPath ?? directory.appendingPathComponent("\(service).sqlite").path
  }

  /// Reads a service's SQLite file (a fresh read-only connection each time).
  func query<T>(_ service: String, _ body: (Database) throws -> T) throws -> T {
    var config = Configuration()
    config.readonly = true
    let queue = try DatabaseQueue(path: ledgerPath(service), configuration: config)
    return try queue.read(body)
  }

  func count(_ service: String, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    try query(service) { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
  }

  /// Publishes an event in binary mode with Nats-Msg-Id = its id (or `msgId`).
  @discardableResult
  func publish(_ event: CloudEvent, subject: String? = nil, msgId: String? = nil) async throws -> PubAck {
    let kindSubject = DomainEventKind(cloudEventType: event.type)?.subject
    let (pairs, body) = try CloudEventNATSBinding.encode(event)
    var headers = NATSHeaders()
    for (k, v) in pairs { headers.append(k, v) }
    var options = JetStreamPublishOptions()
    options.msgId = msgId ?? event.id
    return try await jetStream.publish(
      subject ?? kindSubject ?? "cl_events.unknown", payload: body, headers: headers, options: options)
  }

  /// Publishes raw bytes (for invalid envelopes).
  func publishRaw(_ subject: String, body: [UInt8], headers: NATSHeaders? = nil) async throws {
    var options = JetStreamPublishOptions()
    options.msgId = UUID().uuidString
    _ = try await jetStream.publish(subject, payload: body, headers: headers, options: options)
  }

  func messageCount(_ stream: String) async throws -> UInt64 {
    try await jetStream.streamInfo(stream).state.messages
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

/// Captures log lines (message text with metadata) from the in-process services.
final class LogCapture: Sendable {
  private let lines = Mutex<[String]>([])

  func handler() -> any LogHandler { CaptureHandler(capture: self) }

  func append(_ line: String) { lines.withLock { $0.append(line) } }

  var all: [String] { lines.withLock { $0 } }

  struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
      capture.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
    }
  }
}

/// Builders for the seed contracts used by the tests.
enum Events {
  static func id() -> String { UUID().uuidString.lowercased() }
  static let system = "00000000-0000-0000-0000-000000000001"

  static func metadata(org: String = FleetHarness.orgA, eventId: String = id(), user: String = id())
    -> EventMetadata
  {
    EventMetadata(
      organization_id: org, user_id: user, timestamp: "2026-11-21T10:00:00Z", correlation_id: id(),
      event_id: eventId)
  }

  static func encounterRegistered(encounter: String, org: String = FleetHarness.orgA) throws -> CloudEvent {
    let patient = id()
    return try DomainEventEncoder.cloudEvent(
      kind: .encounterRegistered,
      registrationData: EncounterRegisteredData(
        encounterId: encounter, patientId: patient, stablePatientId: patient, tenantId: org,
        encounterType: "AMB",
        status: "planned"),
      id: id(), time: Date(), tenantId: org)
  }

  static func noteSigned(
    encounter: String, codes: [String] = ["90837"], modifiers: [String]? = ["GT"], eventId: String = id(),
    org: String = FleetHarness.orgA
  ) throws -> CloudEvent {
    let payload = ProgressNoteSignedPayload(
      entity_id: id(), chart_id: id(), encounter_id: encounter, rendering_provider_id: id(),
      service_date: "2026-11-20", billing_codes: codes, modifiers: modifiers, duration_minutes: 53,
      note_type: "individual", requires_cosignature: false, cosigned: false)
    return try DomainEventEncoder.cloudEvent(
      kind: .progressNoteSigned,
      envelope: ContractEnvelope(
        kind: .progressNoteSigned, payload: payload, metadata: metadata(org: org, eventId: eventId)))
  }

  static func referralAccepted(serviceType: String = "behavioral_health", priority: String = "routine") throws
    -> CloudEvent
  {
    let payload = ReferralAcceptedPayload(
      entity_id: id(), patient_id: id(), chart_id: nil, referring_provider_id: id(),
      accepting_provider_id: id(),
      referral_type: "inbound", service_type: serviceType, priority: priority)
    return try DomainEventEncoder.cloudEvent(
      kind: .pmReferralAccepted,
      envelope: ContractEnvelope(kind: .pmReferralAccepted, payload: payload, metadata: metadata()))
  }

  static func costAllocated() throws -> CloudEvent {
    let payload = ProgramCostAllocatedPayload(
      entity_id: id(), program_id: id(), program_name: "IOP", period_start: "2026-10-01",
      period_end: "2026-10-31",
      total_cost: 1_250_000, patient_count: 25, allocation_method: "direct")
    return try DomainEventEncoder.cloudEvent(
      kind: .faProgramCostAllocated,
      envelope: ContractEnvelope(kind: .faProgramCostAllocated, payload: payload, metadata: metadata()))
  }

  static func leadConverted(
    type: String, kind: DomainEventKind = .ceLeadConvertedToPatient, patient: String? = nil
  )
    throws -> CloudEvent
  {
    let lead = id()
    let correlation = "\(lead)_to_\(type)_1763719200000"
    var meta = metadata()
    meta.correlation_id = correlation
    let payload = LeadConvertedPayload(
      entity_id: lead, lead_id: lead, organization_id: FleetHarness.orgA, conversion_type: type,
      correlation_id: correlation, patient_id: patient, converted_by: id())
    return try DomainEventEncoder.cloudEvent(
      kind: kind, envelope: ContractEnvelope(kind: kind, payload: payload, metadata: meta))
  }

  static func restraintInitiated(restraint: String, extra: [String: String] = [:]) throws -> CloudEvent {
    let payload = RestraintEventInitiatedPayload(
      entity_id: restraint, chart_id: id(), event_type: "restraint", patient_age_group: "adult",
      max_duration_hours: 4, initiation_time: "2026-11-21T09:00:00Z",
      action_required: "Restraint initiated — verify monitoring and face-to-face compliance",
      supervisor_id: id())
    var event = try DomainEventEncoder.cloudEvent(
      kind: .clRestraintEventInitiated,
      envelope: ContractEnvelope(kind: .clRestraintEventInitiated, payload: payload, metadata: metadata()))
    if !extra.isEmpty, let data = event.data,
      var object = try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
      var inner = object["payload"] as? [String: Any]
    {
      for (k, v) in extra { inner[k] = v }
      object["payload"] = inner
      event.data = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
    return event
  }
}
