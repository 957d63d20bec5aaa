import ChargeCapture
import ConsumerRuntime
import FleetTestSupport
import Foundation
import GRDB
import Logging
import NATSTestSupport
import ServiceOperations
import Synchronization
import XCTest

/// A service asked to stop does not wait for what cannot finish: the exit flush of the
/// notification outbox (end of `ConsumerService.run()`) has a deadline, since PubAck timeouts pause
/// while the connection is down, and a consumer backing off between bind attempts stops at once.
final class ServiceShutdownTests: XCTestCase {
  /// How long the stopping service may take: the exit flush deadline (5 s) plus the client drain
  /// (5 s, it too waits for a connection that does not come back) plus margin. Without the
  /// deadline the service would not stop before the server is back.
  static let stopBound: Duration = .seconds(20)

  /// Notifications pending in the outbox while the server is down; `shutdown()` stops the service
  /// within the bound, logs that they are left in the outbox, and leaves them unpublished. After
  /// the outage the next start publishes them: nothing is lost.
  func testShutdownDuringOutageLeavesPendingNotificationsForTheNextStart() async throws {
    let fleet = try await FleetHarness()
    do {
      try await shutdownDuringOutage(fleet)
    } catch {
      // A service stuck in its exit flush (what this test detects) finishes once the server is
      // back, so the fixture's shutdown does not wait forever.
      if !fleet.server.isRunning { try? await fleet.server.restart() }
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  private func shutdownDuringOutage(_ fleet: FleetHarness) async throws {
    let name = "charge-capture"
    let service = try await fleet.start(ChargeCaptureHandler())
    let running = try XCTUnwrap(fleet.services[name])

    fleet.server.stop()
    try await eventually("\(name) sees the outage") {
      guard case .notReady(let reasons) = await service.readiness() else { return false }
      return reasons.contains("nats: not connected")
    }
    // Written straight into the outbox while the server is down, so no relay pass can publish
    // them before the outage (the processor's own outbox writes are covered end to end by
    // FleetEndToEndTests). The relay picks them up and waits for a PubAck that cannot come.
    let ids = try Self.insertPendingNotifications(count: 3, ledgerPath: running.ledgerPath)

    let elapsed = try await Self.shutDown(
      service, running: running, within: Self.stopBound, "\(name) stopped during the outage")
    XCTAssertTrue(
      fleet.logs.all.contains {
        $0.contains(
          "\(ids.count) notifications left in the outbox for the next start: the exit flush did not finish")
      },
      "no warning with the count of notifications left in the outbox and why: \(fleet.logs.all.suffix(5))")
    XCTAssertEqual(
      try Self.unpublishedIds(fleet, name), ids, "pending notifications must stay in the outbox, unpublished")
    print("ServiceShutdownTests: \(name) stopped \(elapsed) after shutdown() during the outage")

    // Nothing lost: after the outage the next start on the same ledger publishes them.
    try await fleet.stop(name)
    try await fleet.server.restart()
    try await fleet.start(ChargeCaptureHandler())
    try await eventually("pending notifications published after the restart") {
      try Self.unpublishedIds(fleet, name).isEmpty
    }
    try await eventually("notifications in the NOTIFICATIONS stream") {
      try await fleet.messageCount("NOTIFICATIONS") == UInt64(ids.count)
    }
  }

  /// A consumer that cannot bind backs off (0.25 s, 0.5 s, … up to 5 s between attempts);
  /// `shutdown()` during a 4 s back-off stops the service without waiting for it.
  func testShutdownDuringTheBindBackOffDoesNotWaitForIt() async throws {
    let fleet = try await FleetHarness()
    let name = "charge-capture"
    do {
      let service = try await fleet.start(ChargeCaptureHandler())
      let running = try XCTUnwrap(fleet.services[name])
      // Its durable is gone: the pull ends and every bind attempt fails ("consumer not found").
      try await fleet.jetStream.deleteConsumer(stream: "WQ_CHARGE_CAPTURE", name: name)
      try await eventually("the consumer backs off for 4 s", timeout: .seconds(20)) {
        fleet.logs.all.contains { $0.contains("retrying in 4.0 seconds") }
      }
      // Bounded well above what stopping takes and below the back-off in progress (4 s).
      let elapsed = try await Self.shutDown(
        service, running: running, within: .seconds(3), "\(name) stopped during its back-off")
      print("ServiceShutdownTests: \(name) stopped \(elapsed) after shutdown() in a back-off")
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  /// No server has answered since the start (the client retries its first connect without
  /// limit): `shutdown()` still stops the service, and `run()` returns without an error. It used
  /// to wait for a server forever (SIGTERM had no effect until SIGKILL).
  func testShutdownBeforeTheFirstConnectionStopsTheService() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "shutdown-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // A free loopback port: nothing listens there, every connect attempt is refused.
    let configuration = ServiceConfiguration(
      natsURLs: ["nats://127.0.0.1:\(try FreePort.next())"],
      ledgerPath: directory.appendingPathComponent("ledger.sqlite").path, tenants: [FleetHarness.orgA],
      httpPort: 0)
    let logs = LogCapture()
    let service = ConsumerService(
      configuration: configuration, handler: ChargeCaptureHandler(),
      logger: Logger(label: "charge-capture") { _ in logs.handler() }, listenSignals: false)
    let stopped = Completion()
    Task {
      do {
        try await service.run()
        stopped.finish(.success(()))
      } catch {
        stopped.finish(.failure(error))
      }
    }
    try await eventually("the service started and is not ready", timeout: .seconds(15)) {
      guard case .notReady(let reasons) = await service.readiness() else { return false }
      return reasons.contains("nats: not connected") && logs.all.contains { $0.contains("starting") }
    }
    service.shutdown()
    try await eventually("the service stopped before it connected", timeout: .seconds(10)) {
      stopped.isFinished
    }
    if case .failure(let error) = try XCTUnwrap(stopped.result) { XCTFail("run() threw \(error)") }
    XCTAssertTrue(logs.all.contains { $0.contains("stopped before it connected to NATS") }, "\(logs.all)")
  }

  /// Calls `shutdown()` and waits, at most `bound`, for the service's `run()` to return; fails
  /// the test if it does not or if it threw. Returns how long stopping took.
  private static func shutDown(
    _ service: ConsumerService, running: FleetHarness.RunningService, within bound: Duration, _ what: String
  ) async throws -> Duration {
    let stopped = Completion()
    let task = running.task
    Task {
      let result = await task.result
      stopped.finish(result)
    }
    let started = ContinuousClock.now
    service.shutdown()
    try await eventually(what, timeout: bound) { stopped.isFinished }
    let elapsed = ContinuousClock.now - started
    if case .failure(let error) = try XCTUnwrap(stopped.result) { XCTFail("run() threw \(error)") }
    return elapsed
  }

  /// Writes `count` pending notifications into the outbox as the processor does (a row per
  /// notification, `published_at` NULL) and returns their ids in written order.
  private static func insertPendingNotifications(count: Int, ledgerPath: String) throws -> [String] {
    var configuration = Configuration()
    configuration.busyMode = .timeout(ServiceDatabase.busyTimeout)
    let ledger = try DatabaseQueue(path: ledgerPath, configuration: configuration)
    let ids = (0..<count).map { _ in "\(Events.id()):charge_manual_review:billing" }
    let created = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    try ledger.write { db in
      for id in ids {
        try db.execute(
          sql: """
            INSERT INTO pf_notifications (
              id, organization_id, recipient_type, recipient_id, severity, template, event_id,
              entity_id, entity_type, created_at, published_at, attempts)
            VALUES (?, ?, 'role', 'billing', 'info', 'charge_manual_review', ?, ?, 'charge_suggestion', ?, NULL, 0)
            """,
          arguments: [id, FleetHarness.orgA, Events.id(), Events.id(), created])
      }
    }
    try ledger.close()
    return ids
  }

  /// Ids of the outbox rows not yet published, in written order.
  private static func unpublishedIds(_ fleet: FleetHarness, _ service: String) throws -> [String] {
    try fleet.query(service) {
      try String.fetchAll(
        $0, sql: "SELECT id FROM pf_notifications WHERE published_at IS NULL ORDER BY rowid")
    }
  }
}

/// The outcome of a task, observed from outside it (an unstructured task's `value` cannot be
/// awaited with a deadline, so a watcher task records it here and the test polls).
private final class Completion: Sendable {
  private let state = Mutex<Result<Void, any Error>?>(nil)

  func finish(_ result: Result<Void, any Error>) { state.withLock { $0 = result } }
  var isFinished: Bool { state.withLock { $0 != nil } }
  var result: Result<Void, any Error>? { state.withLock { $0 } }
}
