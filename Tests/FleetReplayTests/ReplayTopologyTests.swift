import FleetReplay
import StreamTopology
import XCTest

/// The replay subjects added to the work streams: `replay.<service>.>` reaches exactly that
/// service's work stream, overlaps nothing, and the topology still validates.
final class ReplayTopologyTests: XCTestCase {
  private static let services = [
    "charge-capture": "WQ_CHARGE_CAPTURE", "care-transitions": "WQ_CARE_TRANSITIONS",
    "lead-reconciliation": "WQ_LEAD_RECONCILIATION", "gr-incidents": "WQ_GR_INCIDENTS",
  ]

  func testTheTopologyWithReplaySubjectsStillValidates() throws {
    let topology = try Topology.load(directory: ReplayFleet.streamsDirectory)
    XCTAssertEqual(topology.validate(), [])
  }

  func testEachReplaySubjectReachesOnlyItsService() throws {
    let topology = try Topology.load(directory: ReplayFleet.streamsDirectory)
    for (service, stream) in Self.services {
      XCTAssertEqual(topology.stream(named: stream)?.subjects, ["replay.\(service).>"], stream)
      XCTAssertEqual(
        topology.consumers(on: stream).map(\.name), [service], "the durable is named after the service")
      let subject = ReplayTarget.replaySubject(
        service: service, originalSubject: "REGISTRATION.patient.merged")
      XCTAssertEqual(topology.workStreams(receiving: subject), [stream], subject)
      XCTAssertEqual(topology.streams(capturing: subject), [stream], "no history stream stores replays")
    }
    // Original subjects are unchanged: still fanned out by the sources only.
    XCTAssertEqual(
      topology.workStreams(receiving: "REGISTRATION.patient.merged"),
      ["WQ_CARE_TRANSITIONS", "WQ_LEAD_RECONCILIATION"])
  }

  func testAReplaySubjectOverlappingAnotherStreamIsReported() throws {
    var topology = try Topology.load(directory: ReplayFleet.streamsDirectory)
    let index = try XCTUnwrap(topology.streams.firstIndex { $0.name == "WQ_GR_INCIDENTS" })
    var config = topology.streams[index].config
    config["subjects"] = ["replay.>"]
    topology.streams[index] = try StreamDefinition(config: config, path: topology.streams[index].path)
    XCTAssertFalse(topology.validate().isEmpty, "replay.> would swallow every service's replays")
  }
}
