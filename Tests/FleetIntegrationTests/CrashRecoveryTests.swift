import FleetTestSupport
import Foundation
import XCTest

/// The real `charge-capture` executable, killed with SIGKILL between COMMIT and ACK (fault
/// injection), restarted: the redelivery is skipped as a duplicate, no second effect. Then SIGTERM:
/// the service drains and exits 0.
final class CrashRecoveryTests: XCTestCase {
  func testKilledBetweenCommitAndAckLeavesNoDuplicateEffect() async throws {
    let binary = try Self.executable("charge-capture")
    // Short ack wait so the unacknowledged message comes back quickly after the crash.
    let fleet = try await FleetHarness(consumerOverrides: ["ack_wait": 2_000_000_000])
    do {
      let ledger = fleet.directory.appendingPathComponent("charge-capture.sqlite").path
      let encounter = Events.id()
      let note = try Events.noteSigned(encounter: encounter)
      var environment = [
        "NATS_URL": fleet.server.url, "LEDGER_PATH": ledger, "TENANTS": FleetHarness.orgA, "HTTP_PORT": "0",
        "LOG_FORMAT": "text", "LOG_LEVEL": "info", "FLEET_FAULT_KILL_AFTER_COMMIT": note.id,
      ]
      let first = try Self.launch(binary, environment: environment)
      try await fleet.publish(try Events.encounterRegistered(encounter: encounter))
      try await fleet.publish(note)
      try await eventually("process killed after commit", timeout: .seconds(30)) { !first.isRunning }
      XCTAssertEqual(first.terminationReason, .uncaughtSignal)
      XCTAssertEqual(first.terminationStatus, SIGKILL)
      XCTAssertEqual(try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions"), 1)
      let unacked = try await fleet.messageCount("WQ_CHARGE_CAPTURE")
      XCTAssertGreaterThan(unacked, 0, "the note was never acked")

      environment["FLEET_FAULT_KILL_AFTER_COMMIT"] = nil
      let second = try Self.launch(binary, environment: environment)
      try await eventually("redelivery acked", timeout: .seconds(30)) {
        try await fleet.messageCount("WQ_CHARGE_CAPTURE") == 0
      }
      XCTAssertEqual(try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions"), 1)
      XCTAssertEqual(
        try fleet.count(
          "charge-capture", "SELECT COUNT(*) FROM fw_domain_events WHERE event_id = ?", [note.id]), 1)

      second.terminate()  // SIGTERM
      try await eventually("graceful exit", timeout: .seconds(30)) { !second.isRunning }
      XCTAssertEqual(second.terminationReason, .exit)
      XCTAssertEqual(second.terminationStatus, 0)
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  func testInvalidConfigurationStopsAtStartWithAClearMessage() throws {
    let binary = try Self.executable("gr-incidents")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.environment = ["TENANTS": "not-a-uuid", "PATH": "/usr/bin:/bin"]
    let stderr = Pipe()
    process.standardError = stderr
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    XCTAssertEqual(process.terminationStatus, 64)
    XCTAssertTrue(text.contains("LEDGER_PATH") || text.contains("TENANTS"), text)
  }

  static func launch(_ binary: String, environment: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Finds a product built next to the test bundle (or in FLEET_BIN_DIR).
  static func executable(_ name: String) throws -> String {
    var candidates: [String] = []
    if let dir = ProcessInfo.processInfo.environment["FLEET_BIN_DIR"] { candidates.append(dir) }
    let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    candidates.append(bundle.path)
    candidates.append(bundle.deletingLastPathComponent().path)
    for url in [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
      candidates.append(url.path)
    }
    candidates.append(FleetHarness.repositoryRoot.appendingPathComponent(".build/debug").path)
    for dir in candidates {
      let path = (dir as NSString).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    XCTFail("executable \(name) not found (build the package first); looked in \(candidates)")
    throw CocoaError(.fileNoSuchFile)
  }
}
