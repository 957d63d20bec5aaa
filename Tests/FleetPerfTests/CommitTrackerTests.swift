import XCTest

@testable import FleetPerf

/// The throughput window: first commit → last commit of an event processed on its first delivery.
final class CommitTrackerTests: XCTestCase {
  func testRetriedEventsAreLeftOutOfTheFirstDeliveryWindow() throws {
    let tracker = CommitTracker()
    for id in ["a", "b", "c"] { tracker.committed(id) }
    let lastFirstDelivery = try XCTUnwrap(tracker.window.last)
    // "r" failed once and commits after its NAK delay, after everything else.
    tracker.committed("r")
    let (first, last) = tracker.window

    let window = tracker.firstDeliveryCommits(excluding: ["r"])
    XCTAssertEqual(window.count, 3)
    XCTAssertEqual(window.last, lastFirstDelivery)
    XCTAssertLessThan(try XCTUnwrap(window.last), try XCTUnwrap(last))
    XCTAssertLessThanOrEqual(try XCTUnwrap(first), try XCTUnwrap(window.last))

    let everything = tracker.firstDeliveryCommits(excluding: [])
    XCTAssertEqual(everything.count, 4)
    XCTAssertEqual(everything.last, last)
  }

  /// Commits after the throughput phase (the latency phase) are counted but not recorded.
  func testCommitsAfterTheThroughputPhaseAreNotRecorded() {
    let tracker = CommitTracker()
    tracker.committed("a")
    tracker.stopRecordingCommits()
    tracker.committed("b")
    XCTAssertEqual(tracker.committedCount, 2)
    XCTAssertEqual(tracker.firstDeliveryCommits(excluding: []).count, 1)
  }
}
