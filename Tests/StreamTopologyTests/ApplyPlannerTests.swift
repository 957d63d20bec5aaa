import StreamTopology
import XCTest

final class ApplyPlannerTests: XCTestCase {
  private let desired: JSONValue = [
    "name": "CL_EVENTS", "subjects": ["cl_events.>"], "retention": "limits", "storage": "file",
    "max_age": .int(31_536_000_000_000_000), "duplicate_window": .int(120_000_000_000), "num_replicas": 1,
    "allow_direct": true, "max_msgs": -1,
  ]

  /// What a server reports back: our keys plus its own defaults, numbers possibly as doubles.
  private var serverConfig: JSONValue {
    var config = desired
    config["sealed"] = false
    config["deny_delete"] = false
    config["first_seq"] = 0
    config["compression"] = "none"
    config["max_msgs_per_subject"] = -1
    config["consumer_limits"] = [:]
    config["num_replicas"] = 1.0
    return config
  }

  func testMissingOnServerIsCreate() {
    XCTAssertEqual(ApplyPlanner.diff(desired: desired, current: nil), .create)
  }

  func testServerDefaultsAreIgnored() {
    XCTAssertEqual(ApplyPlanner.diff(desired: desired, current: serverConfig), .unchanged)
    XCTAssertEqual(ApplyPlanner.changedFields(desired: desired, current: serverConfig), [])
  }

  func testChangedMaxAgeIsDetected() {
    var current = serverConfig
    current["max_age"] = .int(86_400_000_000_000)
    XCTAssertEqual(ApplyPlanner.diff(desired: desired, current: current), .update(fields: ["max_age"]))
  }

  func testSeveralChangesAreListedSorted() {
    var current = serverConfig
    current["subjects"] = ["cl_events.a"]
    current["allow_direct"] = false
    current["num_replicas"] = 3
    XCTAssertEqual(
      ApplyPlanner.diff(desired: desired, current: current),
      .update(fields: ["allow_direct", "num_replicas", "subjects"]))
  }

  func testMissingOnServerCountsAsTheZeroValue() {
    let wanted: JSONValue = ["name": "X", "description": "", "no_ack": false, "sources": [], "max_age": 0]
    XCTAssertEqual(ApplyPlanner.diff(desired: wanted, current: ["name": "X"]), .unchanged)
    XCTAssertEqual(
      ApplyPlanner.diff(desired: ["name": "X", "allow_direct": true], current: ["name": "X"]),
      .update(fields: ["allow_direct"]))
  }

  func testNestedSourcesCompareOnlyDesiredKeys() {
    let wanted: JSONValue = [
      "sources": [
        ["name": "CL_EVENTS", "subject_transforms": [["src": "cl_events.a", "dest": "cl_events.a"]]]
      ]
    ]
    let current: JSONValue = [
      "sources": [
        [
          "name": "CL_EVENTS", "filter_subject": "", "opt_start_seq": 0,
          "subject_transforms": [["src": "cl_events.a", "dest": "cl_events.a"]],
        ]
      ]
    ]
    XCTAssertEqual(ApplyPlanner.diff(desired: wanted, current: current), .unchanged)
    var moved = current
    moved["sources"] = [
      ["name": "CL_EVENTS", "subject_transforms": [["src": "cl_events.b", "dest": "cl_events.b"]]]
    ]
    XCTAssertEqual(ApplyPlanner.diff(desired: wanted, current: moved), .update(fields: ["sources"]))
  }

  func testDurationsCompareNumerically() {
    XCTAssertEqual(
      ApplyPlanner.diff(desired: ["ack_wait": "30s"], current: ["ack_wait": .int(30_000_000_000)]), .unchanged
    )
    XCTAssertEqual(
      ApplyPlanner.diff(
        desired: ["duplicate_window": .int(120_000_000_000)], current: ["duplicate_window": "2m0s"]),
      .unchanged)
    XCTAssertEqual(ApplyPlanner.diff(desired: ["max_age": "1h"], current: ["max_age": "60m"]), .unchanged)
    XCTAssertEqual(
      ApplyPlanner.diff(desired: ["ack_wait": "30s"], current: ["ack_wait": .int(1_000_000_000)]),
      .update(fields: ["ack_wait"]))
    XCTAssertEqual(
      ApplyPlanner.diff(desired: ["retention": "limits"], current: ["retention": "workqueue"]),
      .update(fields: ["retention"]))
  }

  func testRepositoryFilesAgainstThemselvesAreUnchanged() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    for stream in topology.streams {
      XCTAssertEqual(
        ApplyPlanner.diff(desired: stream.config, current: stream.config), .unchanged, stream.name)
    }
    for consumer in topology.consumers {
      XCTAssertEqual(
        ApplyPlanner.diff(desired: consumer.config, current: consumer.config), .unchanged, consumer.name)
    }
  }
}
