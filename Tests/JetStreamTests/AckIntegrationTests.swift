import JetStream
import NATS
import XCTest

final class AckIntegrationTests: XCTestCase {
  private static func setUpStream(_ js: JetStreamContext, ackWait: Duration = .seconds(30)) async throws
    -> JetStreamPullConsumer
  {
    _ = try await js.createStream(StreamConfig(name: "A", subjects: ["a.>"]))
    var config = ConsumerConfig(durableName: "acker")
    config.ackWait = Int64(ackWait.components.seconds) * 1_000_000_000
    _ = try await js.createOrUpdateConsumer(stream: "A", config: config)
    return try js.pullConsumer(stream: "A", name: "acker")
  }

  func testNakWithDelayIsRedeliveredAfterTheDelay() async throws {
    try await JetStreamServerFixture.run("ack-nak") { f in
      let pull = try await Self.setUpStream(f.js)
      _ = try await f.js.publish("a.1", string: "retry me")
      let first = try await collect(try await pull.fetch(batch: 1))
      XCTAssertEqual(first.count, 1)
      XCTAssertEqual(first.first?.metadata?.delivered, 1)
      let nakedAt = ContinuousClock.now
      try await first[0].nak(delay: .seconds(1))
      let again = try await collect(try await pull.fetch(batch: 1, expires: .seconds(5)))
      let arrived = ContinuousClock.now
      XCTAssertEqual(again.count, 1)
      XCTAssertEqual(again.first?.metadata?.delivered, 2)
      XCTAssertEqual(again.first?.metadata?.streamSequence, 1)
      XCTAssertGreaterThanOrEqual(arrived - nakedAt, .seconds(1), "redelivered only after the NAK delay")
      try await again[0].ack()
    }
  }

  func testTermIsNotRedelivered() async throws {
    try await JetStreamServerFixture.run("ack-term") { f in
      let pull = try await Self.setUpStream(f.js, ackWait: .seconds(1))
      _ = try await f.js.publish("a.1", string: "poison")
      let first = try await collect(try await pull.fetch(batch: 1))
      XCTAssertEqual(first.count, 1)
      try await first[0].term(reason: "invalid payload")
      // With ack_wait 1 s an un-terminated message would be redelivered within this fetch.
      let again = try await collect(try await pull.fetch(batch: 1, expires: .milliseconds(2500)))
      XCTAssertTrue(again.isEmpty, "a terminated message is never redelivered")
      let info = try await pull.info()
      XCTAssertEqual(info.numAckPending, 0)
      XCTAssertEqual(info.numPending, 0)
    }
  }

  func testAckSyncWaitsForConfirmationAndSecondAckThrows() async throws {
    try await JetStreamServerFixture.run("ack-sync") { f in
      let pull = try await Self.setUpStream(f.js)
      _ = try await f.js.publish("a.1", string: "one")
      let messages = try await collect(try await pull.fetch(batch: 1))
      let message = try XCTUnwrap(messages.first)
      try await message.inProgress()
      try await message.inProgress()
      try await message.ackSync(timeout: .seconds(5))
      XCTAssertTrue(message.isAcknowledged)
      let info = try await pull.info()
      XCTAssertEqual(info.ackFloor.streamSequence, 1, "confirmed: the ack is applied when ackSync returns")
      XCTAssertEqual(info.numAckPending, 0)

      for attempt in [
        { try await message.ack() }, { try await message.nak() }, { try await message.term() },
        { try await message.inProgress() }, { try await message.ackSync() },
      ] as [@Sendable () async throws -> Void] {
        do {
          try await attempt()
          XCTFail("a second acknowledgement must throw")
        } catch let error as JetStreamError {
          XCTAssertEqual(error.code, .alreadyAcknowledged)
        }
      }
    }
  }

  /// nats-server 2.14+ sends v2 ack subjects when the `js_ack_fc_v2` feature flag is on (2.15.1
  /// still defaults to v1, see testServerDefaultAckSubjectsParse).
  func testServerSendsV2AckSubjectsThatParse() async throws {
    try await JetStreamServerFixture.run("ack-v2", config: "feature_flags { js_ack_fc_v2: true }") { f in
      let pull = try await Self.setUpStream(f.js)
      for i in 0..<3 { _ = try await f.js.publish("a.\(i)", string: "\(i)") }
      let messages = try await collect(try await pull.fetch(batch: 3))
      XCTAssertEqual(messages.count, 3)
      for (index, message) in messages.enumerated() {
        let reply = try XCTUnwrap(message.replyTo)
        let tokens = reply.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertGreaterThanOrEqual(tokens.count, 11, "v2 ack subject: \(reply)")
        XCTAssertEqual(tokens[2], "_", "no domain: \(reply)")
        try Self.checkMetadata(message, index: index)
        XCTAssertNotNil(message.metadata?.accountHash)
        try await message.ackSync()
      }
      let info = try await pull.info()
      XCTAssertEqual(info.ackFloor.streamSequence, 3, "acks sent to v2 subjects are applied")
    }
  }

  func testServerDefaultAckSubjectsParse() async throws {
    try await JetStreamServerFixture.run("ack-default") { f in
      let pull = try await Self.setUpStream(f.js)
      for i in 0..<3 { _ = try await f.js.publish("a.\(i)", string: "\(i)") }
      let messages = try await collect(try await pull.fetch(batch: 3))
      XCTAssertEqual(messages.count, 3)
      for (index, message) in messages.enumerated() {
        try Self.checkMetadata(message, index: index)
        try await message.ackSync()
      }
    }
  }

  private static func checkMetadata(_ message: JetStreamMessage, index: Int) throws {
    let reply = try XCTUnwrap(message.replyTo)
    let metadata = try XCTUnwrap(JetStreamAckMetadata.parse(reply), reply)
    XCTAssertEqual(message.metadata, metadata)
    XCTAssertNil(metadata.domain)
    XCTAssertEqual(metadata.stream, "A")
    XCTAssertEqual(metadata.consumer, "acker")
    XCTAssertEqual(metadata.delivered, 1)
    XCTAssertEqual(metadata.streamSequence, UInt64(index + 1))
    XCTAssertEqual(metadata.consumerSequence, UInt64(index + 1))
    XCTAssertEqual(metadata.pending, UInt64(2 - index))
    XCTAssertGreaterThan(metadata.timestamp, 1_600_000_000_000_000_000)
  }
}
