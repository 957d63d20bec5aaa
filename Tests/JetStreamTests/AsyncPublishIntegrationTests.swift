import JetStream
import NATS
import XCTest

final class AsyncPublishIntegrationTests: XCTestCase {
  func testTenThousandAsyncPublishesAreAllStored() async throws {
    try await JetStreamServerFixture.run("async-10k") { f in
      _ = try await f.js.createStream(StreamConfig(name: "BULK", subjects: ["bulk.>"]))
      let publisher = try f.js.asyncPublisher(maxPending: 4000)
      var futures: [JetStreamPubAckFuture] = []
      futures.reserveCapacity(10_000)
      for i in 0..<10_000 {
        futures.append(try await publisher.publish("bulk.\(i % 10)", string: "message \(i)"))
        XCTAssertLessThanOrEqual(publisher.pendingCount, 4000)
      }
      try await publisher.waitForAll(timeout: .seconds(30))
      XCTAssertEqual(publisher.pendingCount, 0)
      var sequences = Set<UInt64>()
      for future in futures {
        let ack = try await future.value()
        XCTAssertFalse(ack.duplicate)
        sequences.insert(ack.sequence)
      }
      XCTAssertEqual(sequences.count, 10_000, "every message got its own sequence")
      let info = try await f.js.streamInfo("BULK")
      XCTAssertEqual(info.state.messages, 10_000)
      await publisher.close()
    }
  }

  func testWindowIsBoundedAndFuturesResolve() async throws {
    try await JetStreamServerFixture.run("async-window") { f in
      _ = try await f.js.createStream(StreamConfig(name: "W", subjects: ["w.>"]))
      let publisher = try JetStreamAsyncPublisher(context: f.js, maxPending: 8)
      for i in 0..<100 {
        f.mark("window publish \(i), pending \(publisher.pendingCount)")
        _ = try await publisher.publish("w.x", string: "\(i)", options: .init(msgId: "w-\(i % 50)"))
        XCTAssertLessThanOrEqual(publisher.pendingCount, 8)
      }
      f.mark("window waitForAll")
      try await publisher.waitForAll(timeout: .seconds(10))
      f.mark("window info")
      let info = try await f.js.streamInfo("W")
      XCTAssertEqual(info.state.messages, 50, "ids repeated inside the duplicate window are not stored twice")
      f.mark("window nostream")
      let missing = try await publisher.publish("nostream.x", string: "x")
      f.mark("window nostream value")
      do {
        _ = try await missing.value()
        XCTFail("no stream on that subject")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .noResponders)
      }
      f.mark("window close")
      await publisher.close()
    }
  }

  /// A publish waiting for a full window resumes once the window has drained by its gap
  /// (`maxPending / 8`, at least 1), not at the first free slot. A core subscriber stands in for
  /// the stream, so the test decides when each PubAck is sent.
  func testAWaitingPublishResumesOnceTheWindowDrainsByItsGap() async throws {
    try await JetStreamServerFixture.run("async-gap") { f in
      let stand = try f.client.subscribe("gap.x")
      try await f.client.flush()
      var received = stand.makeAsyncIterator()
      let publisher = try JetStreamAsyncPublisher(context: f.js, maxPending: 16)
      var futures: [JetStreamPubAckFuture] = []
      for i in 0..<16 {
        futures.append(try await publisher.publish("gap.x", string: "\(i)"))
      }
      var replies: [String] = []
      for _ in 0..<16 {
        let message = try await received.next()
        replies.append(try XCTUnwrap(message?.replyTo))
      }
      f.mark("gap window full")
      let waiting = Task { try await publisher.publish("gap.x", string: "16") }
      func ack(_ index: Int) async throws {
        try await f.client.publish(replies[index], string: #"{"stream":"GAP","seq":\#(index + 1)}"#)
        try await f.client.flush()
        _ = try await futures[index].value()
      }
      try await ack(0)
      // Had the waiting publish resumed, it would hold the free slot again (16).
      try await Task.sleep(for: .milliseconds(300))
      XCTAssertEqual(publisher.pendingCount, 15, "one free slot is not the gap of 2: the publish still waits")
      try await ack(1)
      let next = try await received.next()
      let seventeenth = try XCTUnwrap(next)
      XCTAssertEqual(seventeenth.payloadString, "16")
      let future = try await waiting.value
      XCTAssertLessThanOrEqual(publisher.pendingCount, 16)
      try await f.client.publish(try XCTUnwrap(seventeenth.replyTo), string: #"{"stream":"GAP","seq":17}"#)
      let seventeenthSequence = try await future.value().sequence
      XCTAssertEqual(seventeenthSequence, 17)
      for index in 2..<16 { try await ack(index) }
      try await publisher.waitForAll(timeout: .seconds(10))
      XCTAssertEqual(publisher.pendingCount, 0)
      await publisher.close()
    }
  }

  /// A publish that gets its slot without waiting (the lock-only path) still refuses a cancelled
  /// task and a closed publisher, and neither refusal keeps a slot.
  func testCancelledAndClosedPublishesTakeNoSlot() async throws {
    try await JetStreamServerFixture.run("async-refusals") { f in
      _ = try await f.js.createStream(StreamConfig(name: "R", subjects: ["r.>"]))
      let publisher = try JetStreamAsyncPublisher(context: f.js, maxPending: 2)
      let cancelled = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await publisher.publish("r.x", string: "cancelled")
      }
      do {
        _ = try await cancelled.value
        XCTFail("a cancelled task must not publish")
      } catch is CancellationError {}
      XCTAssertEqual(publisher.pendingCount, 0, "the refused publish holds no slot")
      // Both slots are still free: two publishes go through without waiting.
      let first = try await publisher.publish("r.x", string: "one")
      let second = try await publisher.publish("r.x", string: "two")
      try await publisher.waitForAll(timeout: .seconds(10))
      let firstSequence = try await first.value().sequence
      let secondSequence = try await second.value().sequence
      XCTAssertEqual([firstSequence, secondSequence], [1, 2])
      await publisher.close()
      do {
        _ = try await publisher.publish("r.x", string: "after close")
        XCTFail("a closed publisher must refuse")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .closed)
      }
      XCTAssertEqual(publisher.pendingCount, 0)
      let info = try await f.js.streamInfo("R")
      XCTAssertEqual(info.state.messages, 2)
    }
  }

  func testAsyncPublishAcrossServerRestartLosesAndDuplicatesNothing() async throws {
    try await JetStreamServerFixture.run("async-restart", timeout: .seconds(90)) { f in
      var config = StreamConfig(name: "DURABLE", subjects: ["durable.>"])
      config.storage = .file
      _ = try await f.js.createStream(config)
      let total = 6_000
      let publisher = try f.js.asyncPublisher(maxPending: 1000, ackTimeout: .seconds(10))
      var futures: [JetStreamPubAckFuture] = []
      for i in 0..<total {
        if i == total / 3 {
          try await f.server.restart()
        }
        futures.append(
          try await publisher.publish(
            "durable.\(i)", string: "payload \(i)", options: .init(msgId: "id-\(i)")))
      }
      try await publisher.waitForAll(timeout: .seconds(45))
      var failures = 0
      for future in futures {
        do { _ = try await future.value() } catch { failures += 1 }
      }
      XCTAssertEqual(failures, 0, "every message was acknowledged")
      XCTAssertGreaterThan(f.client.statistics.reconnects, 0, "the client did reconnect")
      let info = try await f.js.streamInfo("DURABLE", subjectsFilter: "durable.>")
      XCTAssertEqual(info.state.messages, UInt64(total), "nothing lost, nothing stored twice")
      XCTAssertEqual(info.state.subjects?.count, total)
      XCTAssertTrue(
        info.state.subjects?.values.allSatisfy { $0 == 1 } ?? false, "each subject stored exactly once")
      await publisher.close()
    }
  }

  func testAckTimeoutFailsTheFutureAndWaitForAllIsBounded() async throws {
    try await JetStreamServerFixture.run("async-timeout") { f in
      // A plain subscriber that never answers stands in for a stream that lost the message.
      let silent = try f.client.subscribe("silent.>") { _ in }
      try await f.client.flush()
      let publisher = try JetStreamAsyncPublisher(
        context: f.js, maxPending: 10, ackTimeout: .milliseconds(300))
      let future = try await publisher.publish("silent.x", string: "x")
      do {
        try await publisher.waitForAll(timeout: .milliseconds(50))
        XCTFail("the message is still unacknowledged")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .timeout)
      }
      do {
        _ = try await future.value()
        XCTFail("no PubAck ever comes")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .timeout)
      }
      XCTAssertEqual(publisher.pendingCount, 0, "a timed-out message frees its slot")
      try await publisher.waitForAll(timeout: .seconds(1))
      await publisher.close()
      do {
        _ = try await publisher.publish("silent.x", string: "y")
        XCTFail("closed")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .closed)
      }
      try silent.unsubscribe()
    }
  }
}
