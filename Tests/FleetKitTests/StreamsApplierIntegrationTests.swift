import FleetKit
import Foundation
import JetStream
import NATS
import NATSTestSupport
import StreamTopology
import XCTest

/// `StreamsApplier` and `fleet streams apply` on the repository's streams/ folder against a real
/// JetStream server.
final class StreamsApplierIntegrationTests: XCTestCase {
  private func applier(_ client: NATSClient) -> StreamsApplier {
    StreamsApplier(jetStream: JetStreamContext(client: client))
  }

  private func repositoryTopology() throws -> Topology {
    try Topology.load(directory: FleetTest.streamsDirectory)
  }

  func testFirstRunCreatesEverythingSecondRunChangesNothing() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let client = try await FleetTest.client(server)
    let topology = try repositoryTopology()
    let objectCount = topology.streams.count + topology.consumers.count
    XCTAssertGreaterThanOrEqual(objectCount, 16)

    var reported: [StreamsApplyChange] = []
    let first = try await applier(client).apply(topology) { reported.append($0) }
    XCTAssertEqual(first, reported, "every change is reported as it happens")
    XCTAssertEqual(first.count, objectCount)
    XCTAssertTrue(first.allSatisfy { $0.change == .create }, "\(first)")
    XCTAssertEqual(first.summary, "created \(objectCount), updated 0, unchanged 0")

    // Upstreams before the work streams that source them; streams before consumers.
    let order = first.map(\.object)
    for stream in topology.streams {
      let index = try XCTUnwrap(order.firstIndex(of: .stream(stream.name)))
      for upstream in Set(stream.sourcedSubjects.map(\.stream)) {
        XCTAssertLessThan(try XCTUnwrap(order.firstIndex(of: .stream(upstream))), index)
      }
    }
    let lastStream = try XCTUnwrap(order.lastIndex { if case .stream = $0 { true } else { false } })
    let firstConsumer = try XCTUnwrap(order.firstIndex { if case .consumer = $0 { true } else { false } })
    XCTAssertLessThan(lastStream, firstConsumer)

    let second = try await applier(client).apply(topology)
    XCTAssertEqual(second.count, objectCount)
    XCTAssertTrue(
      second.allSatisfy { $0.change == .unchanged }, "\(second.filter { $0.change != .unchanged })")
    XCTAssertTrue(second.allSatisfy { $0.description.hasPrefix("= unchanged ") })
    await client.close()
  }

  func testChangedMaxAgeIsExactlyOneUpdate() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let client = try await FleetTest.client(server)
    _ = try await applier(client).apply(try repositoryTopology())

    let copy = try FleetTest.copyOfStreams()
    defer { try? FileManager.default.removeItem(atPath: copy) }
    let file = copy + "/streams/CL_PM_EVENTS.json"
    var config = try JSONValue(parsing: [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: file))))
    config["max_age"] = .int(2 * 31_536_000_000_000_000)
    try Data(config.serialized(prettyPrinted: true)).write(to: URL(fileURLWithPath: file))

    let changes = try await applier(client).apply(try Topology.load(directory: copy))
    let updates = changes.filter { $0.change != .unchanged }
    XCTAssertEqual(
      updates, [StreamsApplyChange(object: .stream("CL_PM_EVENTS"), change: .update(fields: ["max_age"]))])
    XCTAssertEqual(updates.first?.description, "~ update STREAM CL_PM_EVENTS (fields: max_age)")
    let info = try await JetStreamContext(client: client).streamInfoJSON(named: "CL_PM_EVENTS")
    XCTAssertEqual(info?["config"]?["max_age"]?.int64Value, 2 * 31_536_000_000_000_000)

    let again = try await applier(client).apply(try Topology.load(directory: copy))
    XCTAssertTrue(again.allSatisfy { $0.change == .unchanged })
    await client.close()
  }

  func testDryRunChangesNothingOnTheServer() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let client = try await FleetTest.client(server)
    let jetStream = JetStreamContext(client: client)
    let topology = try repositoryTopology()
    let plan = try await applier(client).apply(topology, dryRun: true)
    XCTAssertEqual(plan.count, topology.streams.count + topology.consumers.count)
    XCTAssertTrue(plan.allSatisfy { $0.change == .create })
    let streamsAfterDryRun = try await jetStream.streamInfosJSON()
    XCTAssertEqual(streamsAfterDryRun.count, 0)

    // Against an applied server with one drifted field, the dry run reports it and leaves it.
    _ = try await applier(client).apply(topology)
    var drifted = try XCTUnwrap(topology.stream(named: "DLQ")).config
    drifted["max_age"] = .int(1_000_000_000_000)
    try await jetStream.updateStream(json: drifted)
    let driftPlan = try await applier(client).apply(topology, dryRun: true)
    XCTAssertEqual(
      driftPlan.filter { $0.change != .unchanged }.map(\.description),
      ["~ update STREAM DLQ (fields: max_age)"])
    let dlq = try await jetStream.streamInfoJSON(named: "DLQ")
    XCTAssertEqual(dlq?["config"]?["max_age"]?.int64Value, 1_000_000_000_000, "dry run did not update")
    await client.close()
  }

  func testInvalidTopologyIsRejectedWithItsProblems() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let client = try await FleetTest.client(server)
    var topology = try repositoryTopology()
    topology.consumers.append(
      ConsumerDefinition(
        stream: "NO_SUCH_STREAM", name: "ghost",
        config: ["durable_name": "ghost", "ack_policy": "explicit"]))
    do {
      _ = try await applier(client).apply(topology)
      XCTFail("expected invalidTopology")
    } catch {
      XCTAssertEqual(error.code, .invalidTopology)
      XCTAssertFalse(error.problems.isEmpty)
      XCTAssertTrue(error.problems.contains { $0.message.contains("NO_SUCH_STREAM") }, "\(error.problems)")
    }
    let streams = try await JetStreamContext(client: client).streamInfosJSON()
    XCTAssertEqual(streams.count, 0, "nothing was created")

    // The command prints the problems to standard error and exits 1.
    let copy = try FleetTest.copyOfStreams()
    defer { try? FileManager.default.removeItem(atPath: copy) }
    try Data(
      #"{"stream_name": "NO_SUCH_STREAM", "config": {"durable_name": "ghost", "ack_policy": "explicit"}}"#
        .utf8
    )
    .write(to: URL(fileURLWithPath: copy + "/consumers/NO_SUCH_STREAM--ghost.json"))
    let (code, capture) = try await FleetTest.execute([
      "streams", "apply", "--dir", copy, "--server", server.url,
    ])
    XCTAssertEqual(code, 1)
    XCTAssertTrue(capture.error.contains("NO_SUCH_STREAM"), capture.error)
    XCTAssertTrue(capture.error.contains("fleet: error: \(copy): the topology has"), capture.error)
    await client.close()
  }

  func testApplyCommandPrintsPlanLinesAndSummary() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let topology = try repositoryTopology()
    let total = topology.streams.count + topology.consumers.count
    let dir = FleetTest.streamsDirectory

    let dry = try await FleetTest.run(["streams", "apply", "--dir", dir, "--dry-run", "--server", server.url])
    XCTAssertEqual(dry.outputLines.first, "Dry run: nothing will be changed.")
    XCTAssertEqual(dry.outputLines.last, "Dry run, would have: created \(total), updated 0, unchanged 0")

    let first = try await FleetTest.run(["streams", "apply", "--dir", dir, "--server", server.url])
    XCTAssertTrue(first.outputLines.contains("+ create STREAM REGISTRATION"))
    XCTAssertTrue(first.outputLines.contains("+ create CONSUMER WQ_CHARGE_CAPTURE/charge-capture"))
    XCTAssertEqual(first.outputLines.last, "created \(total), updated 0, unchanged 0")

    let second = try await FleetTest.run(["streams", "apply", "--dir", dir, "--server", server.url])
    let planLines = second.outputLines.dropLast()
    XCTAssertEqual(planLines.count, total)
    XCTAssertTrue(planLines.allSatisfy { $0.hasPrefix("= ") }, second.output)
    XCTAssertEqual(second.outputLines.last, "created 0, updated 0, unchanged \(total)")

    let replicas = try await FleetTest.execute([
      "streams", "apply", "--dir", dir, "--replicas", "3", "--server", server.url,
    ])
    XCTAssertEqual(replicas.code, 1, "a single server cannot hold R3 streams")
    XCTAssertTrue(replicas.capture.error.hasPrefix("fleet: error: STREAM "), replicas.capture.error)
  }

  func testStreamAndConsumerVerbsAfterApply() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    try await FleetTest.run(["streams", "apply", "--dir", FleetTest.streamsDirectory, "--server", server.url])

    let list = try await FleetTest.run(["stream", "ls", "--server", server.url])
    XCTAssertTrue(list.outputLines[0].hasPrefix("NAME"))
    XCTAssertTrue(
      list.outputLines.contains {
        $0.hasPrefix("REGISTRATION ") && $0.contains("REGISTRATION.>") && $0.hasSuffix("limits")
      })
    XCTAssertTrue(
      list.outputLines.contains {
        $0.hasPrefix("WQ_CHARGE_CAPTURE ") && $0.contains("<- CL_PM_EVENTS,REGISTRATION")
          && $0.hasSuffix("workqueue")
      },
      list.output)

    let info = try await FleetTest.run(["stream", "info", "CL_PM_EVENTS", "--server", server.url])
    XCTAssertTrue(info.output.contains("  max_age: 31536000000000000 (1y)"), info.output)
    XCTAssertTrue(info.output.contains("State:"))
    let json = try await FleetTest.run(["stream", "info", "CL_PM_EVENTS", "--json", "--server", server.url])
    let parsed = try JSONValue(parsing: json.output)
    XCTAssertEqual(parsed["config"]?["name"]?.stringValue, "CL_PM_EVENTS")
    XCTAssertNotNil(parsed["state"]?["messages"])

    let consumers = try await FleetTest.run(["consumer", "ls", "WQ_GR_INCIDENTS", "--server", server.url])
    XCTAssertTrue(consumers.outputLines.contains { $0.hasPrefix("gr-incidents ") }, consumers.output)
    let consumer = try await FleetTest.run(
      ["consumer", "info", "WQ_GR_INCIDENTS", "gr-incidents", "--json", "--server", server.url])
    XCTAssertEqual(try JSONValue(parsing: consumer.output)["config"]?["max_deliver"]?.intValue, 4)
    let consumerText = try await FleetTest.run([
      "consumer", "info", "WQ_GR_INCIDENTS", "gr-incidents", "--server", server.url,
    ])
    XCTAssertTrue(consumerText.output.contains("  ack_wait: 30000000000 (30s)"), consumerText.output)

    let missing = try await FleetTest.execute(["stream", "info", "NOPE", "--server", server.url])
    XCTAssertEqual(missing.code, 1)
    XCTAssertEqual(missing.capture.error, "fleet: error: stream NOPE not found\n")
    let missingConsumer = try await FleetTest.execute([
      "consumer", "info", "WQ_GR_INCIDENTS", "nope", "--server", server.url,
    ])
    XCTAssertEqual(missingConsumer.capture.error, "fleet: error: consumer WQ_GR_INCIDENTS/nope not found\n")
  }

  /// One subject per work stream, plus REGISTRATION.patient.merged (two work streams): each lands
  /// in exactly the work streams that need it and in no other.
  func testEventsReachExactlyTheWorkStreamsThatNeedThem() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let client = try await FleetTest.client(server)
    let jetStream = JetStreamContext(client: client)
    let topology = try repositoryTopology()
    _ = try await applier(client).apply(topology)

    let probes: [(subject: String, workStreams: [String])] = [
      ("cl_pm_events.progress_note_signed", ["WQ_CHARGE_CAPTURE"]),
      ("cl_pm_events.pm_referral_accepted", ["WQ_CARE_TRANSITIONS"]),
      ("ce_events.ce_lead_converted_to_patient", ["WQ_LEAD_RECONCILIATION"]),
      ("cl_events.cl_restraint_event_initiated", ["WQ_GR_INCIDENTS"]),
      ("REGISTRATION.patient.merged", ["WQ_CARE_TRANSITIONS", "WQ_LEAD_RECONCILIATION"]),
    ]
    let workStreams = topology.streams.filter(\.isWorkQueue).map(\.name).sorted()
    XCTAssertEqual(
      workStreams, ["WQ_CARE_TRANSITIONS", "WQ_CHARGE_CAPTURE", "WQ_GR_INCIDENTS", "WQ_LEAD_RECONCILIATION"])

    func counts() async throws -> [String: Int64] {
      var result: [String: Int64] = [:]
      for name in workStreams {
        result[name] =
          try await jetStream.streamInfoJSON(named: name)?["state"]?["messages"]?.int64Value ?? -1
      }
      return result
    }

    var expected = Dictionary(uniqueKeysWithValues: workStreams.map { ($0, Int64(0)) })
    for probe in probes {
      XCTAssertEqual(
        topology.workStreams(receiving: probe.subject), probe.workStreams.sorted(), probe.subject)
      let ack = try await client.request(probe.subject, payload: Array("{\"probe\":true}".utf8))
      let pubAck = try JSONValue(parsing: ack.payloadBytes)
      XCTAssertNil(pubAck["error"], "\(probe.subject): \(pubAck.serializedString())")
      XCTAssertEqual(pubAck["stream"]?.stringValue, topology.streams(capturing: probe.subject).first)
      for name in probe.workStreams { expected[name, default: 0] += 1 }
      let arrived = try await FleetTest.eventually(10) { try await counts() == expected }
      let actual = try await counts()
      XCTAssertTrue(arrived, "after \(probe.subject): expected \(expected), got \(actual)")
      XCTAssertEqual(actual, expected, probe.subject)
    }
    await client.close()
  }
}
