import ChargeCapture
import CloudEvents
import DomainEvents
import FleetReplay
import FleetTestSupport
import GRDB
import JetStream
import StreamTopology
import XCTest

/// A fleet for replay tests: a real nats-server with its own store, the streams/ topology
/// applied, and charge-capture in-process on demand.
final class ReplayFleet: FleetFixture, @unchecked Sendable {
  init() async throws {
    try await super.init(clientLabel: "replay-fleet", directoryPrefix: "fleet-replay")
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

  /// The charge-capture durable from streams/.
  var chargeCaptureConsumer: ConsumerDefinition {
    get throws { try XCTUnwrap(topology.consumers(on: "WQ_CHARGE_CAPTURE").first) }
  }

  /// Starts charge-capture in-process and waits until it is ready.
  func startChargeCapture() async throws {
    try await start(ChargeCaptureHandler())
  }

  func stopChargeCapture() async throws {
    try await stop("charge-capture")
  }

  /// A count from charge-capture's SQLite file (a fresh read-only connection).
  func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    try count("charge-capture", sql, arguments)
  }

  var suggestions: Int { get throws { try count("SELECT COUNT(*) FROM pm_charge_suggestions") } }
  var processed: Int {
    get throws { try count("SELECT COUNT(*) FROM fw_domain_events WHERE status = 'processed'") }
  }

  /// Publishes an event in binary mode with Nats-Msg-Id = its id, to its contract subject.
  @discardableResult
  func publish(_ event: CloudEvent) async throws -> PubAck {
    try await publish(event, to: try XCTUnwrap(DomainEventKind(cloudEventType: event.type)?.subject))
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
