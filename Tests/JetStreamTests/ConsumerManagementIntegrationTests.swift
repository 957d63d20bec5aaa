import JetStream
import XCTest

final class ConsumerManagementIntegrationTests: XCTestCase {
  func testConsumerCRUD() async throws {
    try await JetStreamServerFixture.run("consumer-crud") { f in
      let js = f.js
      _ = try await js.createStream(StreamConfig(name: "S", subjects: ["s.>"]))
      for subject in ["s.a", "s.a", "s.b"] { _ = try await js.publish(subject, string: "x") }

      var config = ConsumerConfig(durableName: "c1", filterSubject: "s.a")
      config.ackWait = 30_000_000_000
      let created = try await js.createOrUpdateConsumer(stream: "S", config: config)
      XCTAssertEqual(created.name, "c1")
      XCTAssertEqual(created.streamName, "S")
      XCTAssertEqual(created.config.filterSubject, "s.a")
      XCTAssertEqual(created.config.ackPolicy, .explicit)
      XCTAssertEqual(created.numPending, 2)

      var changed = config
      changed.maxDeliver = 4
      changed.description = "changed"
      let updated = try await js.createOrUpdateConsumer(stream: "S", config: changed)
      XCTAssertEqual(updated.config.maxDeliver, 4)
      XCTAssertEqual(updated.config.description, "changed")

      // "create" with the same configuration is idempotent; with a different one it is an error.
      _ = try await js.createConsumer(stream: "S", config: changed)
      var different = changed
      different.maxDeliver = 5
      await assertAPIError(JetStreamAPIError.Code.consumerAlreadyExists) {
        _ = try await js.createConsumer(stream: "S", config: different)
      }
      await assertAPIError(JetStreamAPIError.Code.consumerDoesNotExist) {
        _ = try await js.updateConsumer(stream: "S", config: ConsumerConfig(durableName: "missing"))
      }
      let viaUpdate = try await js.updateConsumer(stream: "S", config: different)
      XCTAssertEqual(viaUpdate.config.maxDeliver, 5)

      let info = try await js.consumerInfo(stream: "S", name: "c1")
      XCTAssertEqual(info.config.maxDeliver, 5)
      XCTAssertEqual(info.numPending, 2)
      XCTAssertEqual(info.numAckPending, 0)

      _ = try await js.createOrUpdateConsumer(stream: "S", config: ConsumerConfig(durableName: "c2"))
      let listed = try await js.listConsumers(stream: "S")
      XCTAssertEqual(Set(listed.map(\.name)), ["c1", "c2"])
      let names = try await js.consumerNames(stream: "S")
      XCTAssertEqual(names.sorted(), ["c1", "c2"])

      try await js.deleteConsumer(stream: "S", name: "c2")
      await assertAPIError(JetStreamAPIError.Code.consumerNotFound) {
        _ = try await js.consumerInfo(stream: "S", name: "c2")
      }
      let remaining = try await js.consumerNames(stream: "S")
      XCTAssertEqual(remaining, ["c1"])
    }
  }

  func testRawConsumerConfig() async throws {
    try await JetStreamServerFixture.run("consumer-raw") { f in
      let js = f.js
      _ = try await js.createStream(StreamConfig(name: "WQ", subjects: ["wq.>"]))
      let file = Array(
        #"{"stream_name":"WQ","config":{"durable_name":"charge-capture","ack_policy":"explicit","deliver_policy":"all","max_deliver":4,"ack_wait":30000000000,"max_ack_pending":1024,"max_waiting":512}}"#
          .utf8)
      let created = try await js.createOrUpdateConsumer(stream: "WQ", rawConfig: file)
      XCTAssertEqual(created.value.name, "charge-capture")
      XCTAssertEqual(created.value.config.ackWait, 30_000_000_000)
      XCTAssertEqual(created.value.config.maxWaiting, 512)
      XCTAssertTrue(String(decoding: created.raw, as: UTF8.self).contains("\"charge-capture\""))

      // The same file with action "create" is accepted (same configuration) …
      _ = try await js.createOrUpdateConsumer(stream: "WQ", rawConfig: file, action: .create)
      // … a bare configuration with a change and action "create" is refused, err_code kept.
      let bare = Array(#"{"durable_name":"charge-capture","ack_policy":"explicit","max_deliver":7}"#.utf8)
      await assertAPIError(JetStreamAPIError.Code.consumerAlreadyExists) {
        _ = try await js.createOrUpdateConsumer(stream: "WQ", rawConfig: bare, action: .create)
      }
      let updated = try await js.createOrUpdateConsumer(stream: "WQ", rawConfig: bare, action: .update)
      XCTAssertEqual(updated.value.config.maxDeliver, 7)

      do {
        _ = try await js.createOrUpdateConsumer(stream: "OTHER", rawConfig: file)
        XCTFail("stream mismatch must be rejected")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .invalidArgument)
      }
    }
  }
}
