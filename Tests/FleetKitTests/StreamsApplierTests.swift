import FleetKit
import JetStream
import StreamTopology
import Synchronization
import XCTest

/// `StreamsApplier` against an in-memory JetStream (ordering, planning and failure reporting).
final class StreamsApplierTests: XCTestCase {
  /// Streams and consumers held in memory; records every write; can refuse one stream.
  final class FakeJetStream: JetStreamAdministration {
    struct State {
      var streams: [String: JSONValue] = [:]
      var consumers: [String: JSONValue] = [:]
      var writes: [String] = []
    }
    let state = Mutex(State())
    let refusedStream: String?

    init(refusing refusedStream: String? = nil) { self.refusedStream = refusedStream }

    var writes: [String] { state.withLock { $0.writes } }

    func streamInfoJSON(named name: String) async throws -> JSONValue? {
      state.withLock { $0.streams[name] }.map { ["config": $0, "state": ["messages": 0]] }
    }
    func consumerInfoJSON(stream: String, name: String) async throws -> JSONValue? {
      state.withLock { $0.consumers["\(stream)/\(name)"] }.map { ["config": $0] }
    }
    func streamInfosJSON() async throws -> [JSONValue] {
      state.withLock { Array($0.streams.values) }.map { ["config": $0] }
    }
    func consumerInfosJSON(stream: String) async throws -> [JSONValue] { [] }
    func createStream(json: JSONValue) async throws { try write("create", json) }
    func updateStream(json: JSONValue) async throws { try write("update", json) }
    func createOrUpdateConsumer(stream: String, json: JSONValue, action: ConsumerCreateAction) async throws {
      let name = json["durable_name"]?.stringValue ?? "?"
      state.withLock {
        $0.consumers["\(stream)/\(name)"] = json
        $0.writes.append("\(action.rawValue) consumer \(stream)/\(name)")
      }
    }

    private func write(_ verb: String, _ json: JSONValue) throws {
      let name = json["name"]?.stringValue ?? "?"
      if name == refusedStream {
        throw JetStreamAPIError(code: 500, errorCode: 10052, description: "refused for the test")
      }
      state.withLock {
        $0.streams[name] = json
        $0.writes.append("\(verb) stream \(name)")
      }
    }
  }

  /// A work stream whose file name sorts before its upstream, and a consumer listed first.
  private func topology() throws -> Topology {
    let work = try StreamDefinition(
      config: [
        "name": "A_WORK", "retention": "workqueue", "storage": "memory",
        "sources": [["name": "Z_HISTORY", "filter_subject": "z.one"]],
      ])
    let history = try StreamDefinition(
      config: ["name": "Z_HISTORY", "subjects": ["z.>"], "retention": "limits", "storage": "memory"])
    let consumer = ConsumerDefinition(
      stream: "A_WORK", name: "worker", config: ["durable_name": "worker", "ack_policy": "explicit"])
    return Topology(streams: [work, history], consumers: [consumer])
  }

  func testUpstreamsFirstThenConsumersAndSecondRunUnchanged() async throws {
    let fake = FakeJetStream()
    let applier = StreamsApplier(administration: fake)
    let first = try await applier.apply(try topology())
    XCTAssertEqual(
      first.map(\.description),
      ["+ create STREAM Z_HISTORY", "+ create STREAM A_WORK", "+ create CONSUMER A_WORK/worker"])
    XCTAssertEqual(
      fake.writes, ["create stream Z_HISTORY", "create stream A_WORK", "create consumer A_WORK/worker"])
    let second = try await applier.apply(try topology())
    XCTAssertEqual(second.summary, "created 0, updated 0, unchanged 3")
    XCTAssertEqual(fake.writes.count, 3, "nothing written on the second run")
  }

  func testDryRunWritesNothingAndUpdateNamesTheFields() async throws {
    let fake = FakeJetStream()
    let applier = StreamsApplier(administration: fake)
    let plan = try await applier.apply(try topology(), dryRun: true)
    XCTAssertEqual(plan.summary, "created 3, updated 0, unchanged 0")
    XCTAssertEqual(fake.writes, [])

    _ = try await applier.apply(try topology())
    var changed = try topology()
    changed.streams[1].config["max_age"] = .int(60_000_000_000)
    changed.streams[1].config["description"] = "history"
    let changes = try await applier.apply(changed)
    XCTAssertEqual(
      changes.filter { $0.change != .unchanged }.map(\.description),
      ["~ update STREAM Z_HISTORY (fields: description, max_age)"])
    XCTAssertEqual(fake.writes.last, "update stream Z_HISTORY")
  }

  func testServerRefusalReportsTheObjectAndTheChangesAlreadyMade() async throws {
    let fake = FakeJetStream(refusing: "A_WORK")
    do {
      _ = try await StreamsApplier(administration: fake).apply(try topology())
      XCTFail("expected a refusal")
    } catch let error as StreamsApplyError {
      XCTAssertEqual(error.code, .serverRejected)
      XCTAssertEqual(error.applied.map(\.description), ["+ create STREAM Z_HISTORY"])
      XCTAssertEqual(error.message, "STREAM A_WORK: refused for the test (err_code 10052)")
    }
  }

  func testInvalidTopologyListsProblemsBeforeAnyCall() async throws {
    let fake = FakeJetStream()
    var broken = try topology()
    broken.consumers.append(
      ConsumerDefinition(stream: "MISSING", name: "ghost", config: ["durable_name": "ghost"]))
    do {
      _ = try await StreamsApplier(administration: fake).apply(broken)
      XCTFail("expected invalidTopology")
    } catch {
      XCTAssertEqual(error.code, .invalidTopology)
      XCTAssertTrue(error.problems.contains { $0.message.contains("MISSING") }, "\(error.problems)")
    }
    XCTAssertEqual(fake.writes, [])
  }
}
