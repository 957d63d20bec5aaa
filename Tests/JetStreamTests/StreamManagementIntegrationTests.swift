import JetStream
import NATSWire
import XCTest

final class StreamManagementIntegrationTests: XCTestCase {
  func testStreamCRUD() async throws {
    try await JetStreamServerFixture.run("stream-crud") { f in
      let js = f.js
      let account = try await js.accountInfo()
      XCTAssertEqual(account.streams, 0)

      var config = StreamConfig(name: "ORDERS", subjects: ["orders.>"])
      config.storage = .file
      config.allowDirect = true
      config.duplicateWindow = 120_000_000_000
      let created = try await js.createStream(config)
      XCTAssertEqual(created.config.name, "ORDERS")
      XCTAssertEqual(created.config.subjects, ["orders.>"])
      XCTAssertEqual(created.state.messages, 0)
      _ = try await js.createStream(config)  // identical config: idempotent

      var conflicting = config
      conflicting.subjects = ["other.>"]
      await assertAPIError(JetStreamAPIError.Code.streamNameInUse) {
        _ = try await js.createStream(conflicting)
      }

      _ = try await js.publish("orders.a", string: "one", headers: NATSHeaders([("X-Test", "1")]))
      _ = try await js.publish("orders.b", string: "two")
      _ = try await js.publish("orders.a", string: "three", headers: NATSHeaders([("X-Test", "3")]))

      let info = try await js.streamInfo("ORDERS", subjectsFilter: ">")
      XCTAssertEqual(info.state.messages, 3)
      XCTAssertEqual(info.state.lastSequence, 3)
      XCTAssertEqual(info.state.subjects?["orders.a"], 2)
      XCTAssertEqual(info.state.subjects?["orders.b"], 1)

      var updated = config
      updated.subjects = ["orders.>", "returns.>"]
      updated.maxMsgsPerSubject = 100
      let afterUpdate = try await js.updateStream(updated)
      XCTAssertEqual(afterUpdate.config.subjects, ["orders.>", "returns.>"])
      XCTAssertEqual(afterUpdate.config.maxMsgsPerSubject, 100)

      _ = try await js.createStream(StreamConfig(name: "OTHER", subjects: ["other.>"]))
      let listed = try await js.listStreams()
      XCTAssertEqual(Set(listed.map(\.config.name)), ["ORDERS", "OTHER"])
      let names = try await js.streamNames()
      XCTAssertEqual(names.sorted(), ["ORDERS", "OTHER"])
      let capturing = try await js.streamNames(subject: "returns.x")
      XCTAssertEqual(capturing, ["ORDERS"])

      let second = try await js.getMessage(stream: "ORDERS", sequence: 2)
      XCTAssertEqual(second.subject, "orders.b")
      XCTAssertEqual(second.sequence, 2)
      XCTAssertEqual(String(decoding: second.payload, as: UTF8.self), "two")
      let lastA = try await js.getLastMessage(stream: "ORDERS", subject: "orders.a")
      XCTAssertEqual(lastA.sequence, 3)
      XCTAssertEqual(lastA.headers?["X-Test"], "3")
      XCTAssertEqual(String(decoding: lastA.payload, as: UTF8.self), "three")
      await assertAPIError(JetStreamAPIError.Code.noMessageFound) {
        _ = try await js.getMessage(stream: "ORDERS", sequence: 99)
      }

      let direct = try await js.directGetMessage(stream: "ORDERS", sequence: 1)
      XCTAssertEqual(direct.subject, "orders.a")
      XCTAssertEqual(direct.headers?["X-Test"], "1")
      XCTAssertEqual(String(decoding: direct.payload, as: UTF8.self), "one")
      let directLast = try await js.directGetLastMessage(stream: "ORDERS", subject: "orders.b")
      XCTAssertEqual(directLast.sequence, 2)

      let purgedA = try await js.purgeStream("ORDERS", filter: "orders.a")
      XCTAssertEqual(purgedA, 2)
      for i in 0..<4 { _ = try await js.publish("orders.c", string: "c\(i)") }
      let purgedKeep = try await js.purgeStream("ORDERS", keep: 1)
      XCTAssertEqual(purgedKeep, 4)
      let afterKeep = try await js.streamInfo("ORDERS")
      XCTAssertEqual(afterKeep.state.messages, 1)
      XCTAssertEqual(afterKeep.state.lastSequence, 7)
      _ = try await js.publish("orders.d", string: "d")
      let purgedSeq = try await js.purgeStream("ORDERS", sequence: 8)
      XCTAssertEqual(purgedSeq, 1, "everything below sequence 8")
      let purgedAll = try await js.purgeStream("ORDERS")
      XCTAssertEqual(purgedAll, 1)
      let empty = try await js.streamInfo("ORDERS")
      XCTAssertEqual(empty.state.messages, 0)

      try await js.deleteStream("OTHER")
      await assertAPIError(JetStreamAPIError.Code.streamNotFound) { _ = try await js.streamInfo("OTHER") }
      let remaining = try await js.streamNames()
      XCTAssertEqual(remaining, ["ORDERS"])
    }
  }

  func testRawStreamConfigIsSentUnchanged() async throws {
    try await JetStreamServerFixture.run("stream-raw") { f in
      let raw = Array(
        #"{"name":"REGISTRATION","subjects":["REGISTRATION.>"],"retention":"limits","storage":"file","max_age":220898160000000000,"duplicate_window":120000000000,"allow_direct":true}"#
          .utf8)
      let created = try await f.js.createStream(rawConfig: raw)
      XCTAssertEqual(created.value.config.name, "REGISTRATION")
      XCTAssertEqual(created.value.config.maxAge, 220_898_160_000_000_000)
      XCTAssertTrue(String(decoding: created.raw, as: UTF8.self).contains("\"max_age\":220898160000000000"))

      let changed = Array(
        #"{"name":"REGISTRATION","subjects":["REGISTRATION.>"],"retention":"limits","storage":"file","max_age":3600000000000,"duplicate_window":120000000000,"allow_direct":true}"#
          .utf8)
      let updated = try await f.js.updateStream(rawConfig: changed)
      XCTAssertEqual(updated.value.config.maxAge, 3_600_000_000_000)
      let info = try await f.js.streamInfoRaw("REGISTRATION")
      XCTAssertEqual(info.value.config.maxAge, 3_600_000_000_000)

      do {
        _ = try await f.js.createStream(rawConfig: Array(#"{"subjects":["x"]}"#.utf8))
        XCTFail("a configuration without name must be rejected")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .invalidArgument)
      }
    }
  }
}
