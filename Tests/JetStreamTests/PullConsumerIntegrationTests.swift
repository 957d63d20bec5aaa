import JetStream
import NATS
import XCTest

final class PullConsumerIntegrationTests: XCTestCase {
  func testConsumeTenThousandWithAckEmptiesTheWorkQueue() async throws {
    try await JetStreamServerFixture.run("consume-10k") { f in
      let js = f.js
      var config = StreamConfig(name: "WQ", subjects: ["wq.>"])
      config.retention = .workQueue
      _ = try await js.createStream(config)
      let publisher = try js.asyncPublisher()
      for i in 0..<10_000 { _ = try await publisher.publish("wq.\(i % 7)", string: "work \(i)") }
      try await publisher.waitForAll(timeout: .seconds(30))
      await publisher.close()

      var consumer = ConsumerConfig(durableName: "worker")
      consumer.ackWait = 30_000_000_000
      consumer.maxAckPending = 20_000
      _ = try await js.createOrUpdateConsumer(stream: "WQ", config: consumer)
      let pull = try js.pullConsumer(stream: "WQ", name: "worker")
      let messages = try await pull.consume(batch: 500, expires: .seconds(5))
      var count = 0
      var sequences = Set<UInt64>()
      for try await message in messages {
        let metadata = try XCTUnwrap(message.metadata)
        sequences.insert(metadata.streamSequence)
        try await message.ack()
        count += 1
        if count == 10_000 { messages.stop() }
      }
      XCTAssertEqual(count, 10_000)
      XCTAssertEqual(sequences.count, 10_000, "no message handed out twice")
      XCTAssertGreaterThan(messages.statistics.pullRequests, 10_000 / 500, "refilled along the way")
      try await f.eventually("work queue drained") {
        try await js.streamInfo("WQ").state.messages == 0
      }
    }
  }

  func testFetchEndsAtBatchNoMessagesAndExpiry() async throws {
    try await JetStreamServerFixture.run("fetch") { f in
      let js = f.js
      _ = try await js.createStream(StreamConfig(name: "F", subjects: ["f.>"]))
      for i in 0..<5 { _ = try await js.publish("f.x", string: "\(i)") }
      _ = try await js.createOrUpdateConsumer(stream: "F", config: ConsumerConfig(durableName: "d"))
      let pull = try js.pullConsumer(stream: "F", name: "d")

      let three = try await collect(try await pull.fetch(batch: 3, expires: .seconds(5)))
      XCTAssertEqual(three.map(\.payloadString), ["0", "1", "2"])
      for message in three { try await message.ack() }

      let rest = try await collect(try await pull.fetch(batch: 10, noWait: true))
      XCTAssertEqual(rest.map(\.payloadString), ["3", "4"])
      for message in rest { try await message.ack() }

      let none = try await collect(try await pull.fetch(batch: 10, noWait: true))
      XCTAssertTrue(none.isEmpty, "404 No Messages ends the fetch")

      let expired = try await pull.fetch(batch: 2, expires: .milliseconds(600), heartbeat: .milliseconds(200))
      let afterExpiry = try await collect(expired)
      XCTAssertTrue(afterExpiry.isEmpty, "408 Request Timeout ends the fetch")
      XCTAssertGreaterThanOrEqual(expired.statistics.statusMessages, 1)
    }
  }

  func testConsumeEndsWithErrorWhenConsumerIsDeleted() async throws {
    try await JetStreamServerFixture.run("consume-deleted") { f in
      let js = f.js
      _ = try await js.createStream(StreamConfig(name: "D", subjects: ["d.>"]))
      _ = try await js.createOrUpdateConsumer(stream: "D", config: ConsumerConfig(durableName: "gone"))
      _ = try await js.publish("d.x", string: "before")
      let messages = try await js.pullConsumer(stream: "D", name: "gone").consume(
        batch: 10, expires: .seconds(10))
      var received: [String] = []
      do {
        for try await message in messages {
          received.append(message.payloadString)
          try await message.ack()
          try await js.deleteConsumer(stream: "D", name: "gone")
        }
        XCTFail("the sequence must end with an error")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .consumerDeleted, "\(error)")
      }
      XCTAssertEqual(received, ["before"])
    }
  }

  func testConsumeRepullsAfterServerRestart() async throws {
    try await JetStreamServerFixture.run("consume-restart", timeout: .seconds(60)) { f in
      let js = f.js
      var config = StreamConfig(name: "R", subjects: ["r.>"])
      config.storage = .file
      config.retention = .workQueue
      _ = try await js.createStream(config)
      _ = try await js.createOrUpdateConsumer(stream: "R", config: ConsumerConfig(durableName: "r"))
      for i in 0..<20 { _ = try await js.publish("r.x", string: "\(i)", options: .init(msgId: "r-\(i)")) }
      let messages = try await js.pullConsumer(stream: "R", name: "r").consume(
        batch: 5, expires: .seconds(4), heartbeat: .milliseconds(500))
      var seen = Set<String>()
      var restarted = false
      for try await message in messages {
        try await message.ackSync()
        seen.insert(message.payloadString)
        if seen.count == 10 && !restarted {
          restarted = true
          try await f.server.restart()
          for i in 20..<30 {
            _ = try await js.publish("r.x", string: "\(i)", options: .init(msgId: "r-\(i)"))
          }
        }
        if seen.count == 30 { messages.stop() }
      }
      XCTAssertEqual(seen, Set((0..<30).map(String.init)))
      XCTAssertGreaterThan(messages.statistics.reconnects, 0)
    }
  }
}
