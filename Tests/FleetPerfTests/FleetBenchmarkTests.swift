import FleetPerf
import Foundation
import GRDB
import NATS
import XCTest

final class FleetBenchmarkTests: XCTestCase {
  func testSmallRunProcessesEveryEventIntoAWALLedger() async throws {
    let fixture = try await PerfTestServer()
    let options = FleetBenchmarkOptions(
      client: NATSClientOptions(servers: [fixture.url]), streamsDirectory: PerfTestServer.streamsDirectory,
      throughputEvents: 300, latencyRate: 200, latencyDuration: .seconds(1), batchSize: 64,
      timeLimit: .seconds(120), serverPID: fixture.server.processIdentifier)
    let report = try await FleetBenchmark.run(options)
    XCTAssertEqual(report.service, "charge-capture")
    XCTAssertGreaterThan(try XCTUnwrap(report.serviceCPUMicrosecondsPerEvent), 0)
    XCTAssertGreaterThan(try XCTUnwrap(report.serverCPUMicrosecondsPerEvent), 0)
    XCTAssertEqual(report.cores, ProcessInfo.processInfo.activeProcessorCount)
    XCTAssertTrue(report.text.contains("CPU per event in the throughput phase: service "), report.text)
    XCTAssertTrue(report.text.contains(", nats-server "), report.text)
    // Notes may arrive before their encounter (two history streams source the work queue, with
    // no order between them): those are retried after 1 s and then processed, never failed.
    let retried = try XCTUnwrap(report.ledgerRetriedRows)
    XCTAssertLessThanOrEqual(retried, report.ledgerProcessedRows + report.latencyEvents)
    XCTAssertEqual(report.ledgerFailedRows, 0)
    XCTAssertTrue(
      report.text.contains("whole run: \(retried) processed after a retry, 0 failed"), report.text)
    // The transport baseline drained its own 300 events ack-only before the service started:
    // none of them reached the ledger, and the work stream was empty when it stopped.
    let transport = try XCTUnwrap(report.transportBaseline)
    XCTAssertEqual(transport.events, 300)
    XCTAssertGreaterThan(transport.eventsPerSecond, 0)
    XCTAssertGreaterThan(transport.clientCPUMicrosecondsPerEvent, 0)
    XCTAssertGreaterThan(try XCTUnwrap(transport.serverCPUMicrosecondsPerEvent), 0)
    XCTAssertTrue(report.text.contains("transport alone (the same work queue and durable"), report.text)
    XCTAssertEqual(report.throughputEvents, 300)
    // Throughput is timed to the last first-delivery commit; the retried events of the phase
    // (a subset of the whole run's) are counted and reported apart.
    let phaseRetried = try XCTUnwrap(report.throughputRetriedEvents)
    XCTAssertLessThanOrEqual(phaseRetried, retried)
    XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.allCommitsSeconds), report.throughputSeconds)
    XCTAssertTrue(
      report.text.contains("300 events, \(300 - phaseRetried) on their first delivery"), report.text)
    XCTAssertTrue(report.text.contains("\(phaseRetried) retried after their NAK delay"), report.text)
    XCTAssertEqual(report.ledgerProcessedRows, 300)
    XCTAssertEqual(report.ledgerJournalMode, "wal")
    XCTAssertGreaterThan(report.eventsPerSecond, 0)
    XCTAssertGreaterThan(report.latencyEvents, 0)
    XCTAssertEqual(report.latencyCommitted, report.latencyEvents)
    XCTAssertEqual(report.latency.count, UInt64(report.latencyEvents))
    XCTAssertGreaterThanOrEqual(report.latency.p99, report.latency.p50)

    // A second run on the same server needs the reset flag.
    do {
      _ = try await FleetBenchmark.run(options)
      XCTFail("existing streams must be refused without resetStreams")
    } catch let error as PerfError {
      XCTAssertEqual(error.code, .setup)
    }
    await fixture.shutdown()
  }
}

/// The processor benchmark (no server needed): every generated event is processed.
final class ProcessorBenchmarkTests: XCTestCase {
  func testEveryGeneratedEventIsProcessed() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "procbench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = try await ProcessorBenchmark.run(events: 300, batch: 64, workDirectory: directory.path)
    XCTAssertEqual(report.events, 300)
    XCTAssertEqual(report.outcomes, ["processed": 300])
    XCTAssertGreaterThan(report.eventsPerSecond, 0)
    XCTAssertGreaterThan(report.cpuMicrosecondsPerEvent, 0)
    XCTAssertTrue(report.text.contains("300 events in batches of 64"), report.text)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    XCTAssertTrue(leftovers.isEmpty, "ledger removed: \(leftovers)")
    XCTAssertNil(report.ledgerPath)
    XCTAssertNil(report.statements)
  }

  /// `--keep-ledger` leaves the ledger with one row per event; `--profile-statements` counts
  /// every ledger insert.
  func testKeptLedgerAndStatementProfile() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "procbench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = try await ProcessorBenchmark.run(
      events: 200, batch: 50, workDirectory: directory.path, keepLedger: true, profileStatements: true)
    let path = try XCTUnwrap(report.ledgerPath)
    XCTAssertTrue(report.text.contains("ledger kept at \(path)"), report.text)
    let rows = try await DatabaseQueue(path: path).read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fw_domain_events WHERE status = 'processed'")
    }
    XCTAssertEqual(rows, 200)
    let statements = try XCTUnwrap(report.statements)
    let ledgerInsert = try XCTUnwrap(statements.first { $0.sql.hasPrefix("INSERT INTO fw_domain_events") })
    XCTAssertEqual(ledgerInsert.count, 200)
    XCTAssertEqual(statements.first { $0.sql == "COMMIT TRANSACTION" }?.count, 4)
    XCTAssertTrue(report.text.contains("INSERT INTO fw_domain_events"), report.text)
  }
}
