import FleetReplay
import Foundation
import XCTest

/// The checkpoint file: round trip, refusal of foreign files, and the summary's exit code.
final class ReplayCheckpointTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "replay-cp-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  func testCheckpointRoundTripsThroughItsJSONFile() throws {
    var counts = ReplayCounts()
    counts.read = 10
    counts.published = 8
    counts.skippedInvalid = 1
    counts.failed = 1
    let checkpoint = ReplayCheckpoint(
      runID: "run-1", source: "stream CL_EVENTS from seq 1", key: "stream=CL_EVENTS", position: 7,
      unit: "seq",
      complete: false, counts: counts, updatedAt: "2026-11-21T10:00:00Z")
    let path = directory.appendingPathComponent("cp.json").path
    try checkpoint.save(path: path)
    XCTAssertEqual(try ReplayCheckpoint.load(path: path), checkpoint)
    let object = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    XCTAssertEqual(object["run_id"] as? String, "run-1")
    XCTAssertEqual(object["position"] as? Int, 7)
    XCTAssertEqual((object["counts"] as? [String: Any])?["skipped_invalid"] as? Int, 1)
  }

  func testForeignOrBrokenFilesAreRefused() throws {
    let missing = directory.appendingPathComponent("missing.json").path
    XCTAssertThrowsError(try ReplayCheckpoint.load(path: missing)) { error in
      XCTAssertEqual((error as? ReplayError)?.code, .checkpoint)
    }
    let broken = directory.appendingPathComponent("broken.json")
    try Data("{\"run_id\": 3".utf8).write(to: broken)
    XCTAssertThrowsError(try ReplayCheckpoint.load(path: broken.path)) { error in
      XCTAssertEqual((error as? ReplayError)?.code, .checkpoint)
    }
    let badID = directory.appendingPathComponent("bad-id.json")
    try Data(
      """
      {"version":1,"run_id":"a:b","source":"s","key":"k","unit":"seq","complete":false,
       "counts":{"read":0,"published":0,"duplicates":0,"validated":0,"skipped_filtered":0,"skipped_invalid":0,"failed":0},
       "updated_at":"x"}
      """.utf8
    ).write(to: badID)
    XCTAssertThrowsError(try ReplayCheckpoint.load(path: badID.path), "a run id that would corrupt msg ids")
  }

  func testCountsAddUpAcrossResumedRuns() {
    var a = ReplayCounts()
    a.read = 7
    a.published = 7
    var b = ReplayCounts()
    b.read = 8
    b.published = 5
    b.duplicates = 3
    let sum = a + b
    XCTAssertEqual(sum.read, 15)
    XCTAssertEqual(sum.published, 12)
    XCTAssertEqual(sum.duplicates, 3)
    XCTAssertEqual(sum.settled, 15)
  }

  func testSummaryExitCodeFollowsFailures() {
    var counts = ReplayCounts()
    counts.read = 3
    counts.published = 2
    counts.failed = 1
    let failed = ReplaySummary(
      runID: "r", source: "file x", target: "subject a.b", dryRun: false, resumed: false, ending: .complete,
      counts: counts, lastPosition: 2, unit: "line",
      issues: [ReplayIssue(kind: .failed, position: 3, unit: "line", eventID: "e-3", reason: "no PubAck")],
      warnings: ["fan-out"], elapsed: .seconds(1))
    XCTAssertEqual(failed.exitCode, 1)
    XCTAssertFalse(failed.succeeded)
    let text = failed.description
    XCTAssertTrue(text.contains("read 3, published 2"), text)
    XCTAssertTrue(text.contains("failed 1"), text)
    XCTAssertTrue(text.contains("line 3, event e-3 (failed): no PubAck"), text)
    XCTAssertTrue(text.contains("warning: fan-out"), text)
    counts.failed = 0
    var clean = failed
    clean.counts = counts
    XCTAssertEqual(clean.exitCode, 0)
  }
}
