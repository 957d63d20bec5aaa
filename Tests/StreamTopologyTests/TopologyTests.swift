import Foundation
import StreamTopology
import XCTest

final class TopologyTests: XCTestCase {
  func testRepositoryTopologyLoadsAndValidatesClean() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    XCTAssertEqual(
      topology.streams.map(\.name).sorted(),
      [
        "CE_EVENTS", "CL_EVENTS", "CL_PM_EVENTS", "DLQ", "FA_EVENTS", "NOTIFICATIONS", "PM_EVENTS",
        "REGISTRATION",
        "WQ_CARE_TRANSITIONS", "WQ_CHARGE_CAPTURE", "WQ_GR_INCIDENTS", "WQ_LEAD_RECONCILIATION",
      ])
    XCTAssertEqual(
      Set(topology.consumers.map { "\($0.stream)/\($0.name)" }),
      [
        "WQ_CHARGE_CAPTURE/charge-capture", "WQ_CARE_TRANSITIONS/care-transitions",
        "WQ_LEAD_RECONCILIATION/lead-reconciliation", "WQ_GR_INCIDENTS/gr-incidents",
      ])
    XCTAssertEqual(topology.validate(), [])
  }

  func testHistoryStreamsHaveTheAgreedRetention() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    let registration = try XCTUnwrap(topology.stream(named: "REGISTRATION"))
    XCTAssertEqual(registration.config["max_age"], .int(220_898_160_000_000_000))
    XCTAssertEqual(registration.subjects, ["REGISTRATION.>"])
    for name in ["REGISTRATION", "CL_PM_EVENTS", "CL_EVENTS", "CE_EVENTS", "PM_EVENTS", "FA_EVENTS"] {
      let stream = try XCTUnwrap(topology.stream(named: name))
      XCTAssertFalse(stream.isWorkQueue, name)
      XCTAssertEqual(stream.config["retention"], "limits", name)
      XCTAssertEqual(stream.config["storage"], "file", name)
      XCTAssertEqual(stream.config["discard"], "old", name)
      XCTAssertEqual(stream.config["duplicate_window"], .int(120_000_000_000), name)
      XCTAssertEqual(stream.config["num_replicas"], 1, name)
      XCTAssertEqual(stream.config["allow_direct"], true, name)
    }
    XCTAssertEqual(topology.stream(named: "DLQ")?.config["max_age"], .int(90 * 86_400 * 1_000_000_000))
    XCTAssertEqual(topology.stream(named: "DLQ")?.config["retention"], "limits")
    XCTAssertEqual(
      topology.stream(named: "NOTIFICATIONS")?.config["max_age"], .int(30 * 86_400 * 1_000_000_000))
  }

  func testWorkStreamsAndConsumersFollowTheBrief() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    for stream in topology.streams where stream.name.hasPrefix("WQ_") {
      XCTAssertTrue(stream.isWorkQueue, stream.name)
      // Only the service's own replay subject (`fleet replay --to-service`, docs/REPLAY.md).
      let service = topology.consumers(on: stream.name).first?.name ?? "?"
      XCTAssertEqual(stream.subjects, ["replay.\(service).>"], stream.name)
      XCTAssertEqual(stream.config["storage"], "file", stream.name)
      XCTAssertEqual(stream.config["duplicate_window"], .int(120_000_000_000), stream.name)
      let upstreams = stream.sourcedSubjects.map(\.stream)
      XCTAssertEqual(
        stream.config["sources"]?.arrayValue?.count, Set(upstreams).count,
        "\(stream.name): one source entry per upstream stream")
      XCTAssertEqual(topology.consumers(on: stream.name).count, 1, stream.name)
    }
    for consumer in topology.consumers {
      XCTAssertEqual(consumer.config["ack_policy"], "explicit")
      XCTAssertEqual(consumer.config["deliver_policy"], "all")
      XCTAssertEqual(consumer.config["max_deliver"], 4)
      XCTAssertEqual(consumer.config["ack_wait"], .int(30_000_000_000))
      XCTAssertEqual(consumer.config["max_ack_pending"], 4096)
      XCTAssertEqual(consumer.config["max_waiting"], 512)
      XCTAssertEqual(consumer.filterSubjects, [])
      XCTAssertEqual(consumer.requestBody["stream_name"]?.stringValue, consumer.stream)
    }
  }

  func testOverlappingConsumersOnAWorkQueueAreReported() throws {
    let topology = Topology(
      streams: [
        try TopologyFixture.history("CL_EVENTS", "cl_events.>"),
        try TopologyFixture.workQueue("WQ", sources: [("CL_EVENTS", ["cl_events.>"])]),
      ],
      consumers: [
        TopologyFixture.consumer("WQ", "first", filters: ["cl_events.*"]),
        TopologyFixture.consumer("WQ", "second", filters: ["cl_events.cl_crisis_episode_opened"]),
      ])
    let problems = topology.validate()
    XCTAssertEqual(problems.count, 1, "\(problems)")
    XCTAssertTrue(problems.first?.message.contains("overlapping filters") == true, "\(problems)")
    XCTAssertTrue(problems.first?.message.contains("first") == true)
  }

  func testTwoUnfilteredConsumersOnAWorkQueueOverlap() throws {
    let topology = Topology(
      streams: [
        try TopologyFixture.history("CL_EVENTS", "cl_events.>"),
        try TopologyFixture.workQueue("WQ", sources: [("CL_EVENTS", ["cl_events.a"])]),
      ],
      consumers: [TopologyFixture.consumer("WQ", "one"), TopologyFixture.consumer("WQ", "two")])
    XCTAssertEqual(topology.validate().count, 1)
  }

  func testDisjointConsumersOnAWorkQueueAndSharedFiltersOnLimitsAreFine() throws {
    let topology = Topology(
      streams: [
        try TopologyFixture.history("CL_EVENTS", "cl_events.>"),
        try TopologyFixture.workQueue("WQ", sources: [("CL_EVENTS", ["cl_events.a", "cl_events.b"])]),
      ],
      consumers: [
        TopologyFixture.consumer("WQ", "partition-0", filters: ["cl_events.a"]),
        TopologyFixture.consumer("WQ", "partition-1", filters: ["cl_events.b"]),
        TopologyFixture.consumer("CL_EVENTS", "audit"),
        TopologyFixture.consumer("CL_EVENTS", "replay"),
      ])
    XCTAssertEqual(topology.validate(), [])
  }

  func testUnknownStreamsAreReported() throws {
    let topology = Topology(
      streams: [try TopologyFixture.workQueue("WQ", sources: [("NOPE", ["nope.a"])])],
      consumers: [TopologyFixture.consumer("MISSING", "svc")])
    let messages = topology.validate().map(\.message)
    XCTAssertTrue(messages.contains("stream WQ sources unknown stream NOPE"), "\(messages)")
    XCTAssertTrue(messages.contains("consumer svc reads unknown stream MISSING"), "\(messages)")
  }

  func testSourceFilterOutsideTheUpstreamSubjectsIsReported() throws {
    let topology = Topology(
      streams: [
        try TopologyFixture.history("PM_EVENTS", "pm_events.>"),
        try TopologyFixture.workQueue("WQ", sources: [("PM_EVENTS", ["cl_events.x", "pm_events.y"])]),
      ],
      consumers: [])
    XCTAssertEqual(
      topology.validate().map(\.message),
      ["source filter cl_events.x names subjects that stream PM_EVENTS does not store"])
  }

  func testInvalidDurableNamesAndReplicaMismatchAreReported() throws {
    var consumer = TopologyFixture.consumer("WQ", "charge.capture")
    consumer.config["num_replicas"] = 3
    let topology = Topology(
      streams: [
        try TopologyFixture.history("A", "a.>"),
        try TopologyFixture.workQueue("WQ", sources: [("A", ["a.b"])]),
      ],
      consumers: [consumer])
    let messages = topology.validate().map(\.message).joined(separator: "\n")
    XCTAssertTrue(messages.contains("durable name \"charge.capture\""), messages)
    XCTAssertTrue(messages.contains("num_replicas 3 but stream WQ has 1"), messages)
  }

  func testOverlappingStreamSubjectsAreReported() throws {
    let topology = Topology(
      streams: [try TopologyFixture.history("A", "a.>"), try TopologyFixture.history("B", "a.b")],
      consumers: [])
    XCTAssertEqual(topology.validate().map(\.message), ["subject a.b of stream B overlaps a.> of stream A"])
  }

  func testFilterSubjectTogetherWithTransformsIsReported() throws {
    let work = try TopologyFixture.stream([
      "name": "WQ", "retention": "workqueue",
      "sources": [
        ["name": "A", "filter_subject": "a.>", "subject_transforms": [["src": "a.b", "dest": "a.b"]]]
      ],
    ])
    let topology = Topology(streams: [try TopologyFixture.history("A", "a.>"), work], consumers: [])
    XCTAssertEqual(
      topology.validate().map(\.message), ["source A sets both filter_subject and subject_transforms"])
  }

  func testWithReplicasSetsStreamsAndConsumersAndStaysValid() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory).withReplicas(3)
    XCTAssertTrue(topology.streams.allSatisfy { $0.config["num_replicas"] == 3 })
    XCTAssertTrue(topology.consumers.allSatisfy { $0.config["num_replicas"] == 3 })
    XCTAssertEqual(topology.validate(), [])
    XCTAssertFalse(topology.withReplicas(7).validate().isEmpty)
  }

  func testLoadErrorsNameTheFile() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("topology-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let streams = folder.appendingPathComponent("streams", isDirectory: true)
    try FileManager.default.createDirectory(at: streams, withIntermediateDirectories: true)

    let bad = streams.appendingPathComponent("BAD.json")
    try Data("{\"name\": \"BAD\", ".utf8).write(to: bad)
    XCTAssertThrowsError(try Topology.load(directory: folder.path)) { error in
      let loadError = error as? TopologyLoadError
      XCTAssertEqual(loadError?.file, bad.path)
      XCTAssertTrue(loadError?.message.hasPrefix("invalid JSON") == true, "\(error)")
    }

    try Data("{\"subjects\": [\"x.>\"]}".utf8).write(to: bad)
    XCTAssertThrowsError(try Topology.load(directory: folder.path)) { error in
      XCTAssertEqual((error as? TopologyLoadError)?.file, bad.path)
      XCTAssertTrue("\(error)".contains("no \"name\""), "\(error)")
    }

    try Data("{\"name\": \"BAD\", \"subjects\": [\"bad.>\"]}".utf8).write(to: bad)
    let consumers = folder.appendingPathComponent("consumers", isDirectory: true)
    try FileManager.default.createDirectory(at: consumers, withIntermediateDirectories: true)
    let consumer = consumers.appendingPathComponent("BAD--svc.json")
    try Data("{\"config\": {\"durable_name\": \"svc\"}}".utf8).write(to: consumer)
    XCTAssertThrowsError(try Topology.load(directory: folder.path)) { error in
      XCTAssertEqual((error as? TopologyLoadError)?.file, consumer.path)
      XCTAssertTrue("\(error)".contains("stream_name"), "\(error)")
    }

    XCTAssertThrowsError(try Topology.load(directory: folder.appendingPathComponent("missing").path))
  }
}
