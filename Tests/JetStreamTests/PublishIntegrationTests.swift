import JetStream
import XCTest

final class PublishIntegrationTests: XCTestCase {
  func testPubAckDuplicateDetectionAndExpectations() async throws {
    try await JetStreamServerFixture.run("publish") { f in
      let js = f.js
      _ = try await js.createStream(StreamConfig(name: "EVENTS", subjects: ["events.>"]))

      let first = try await js.publish("events.a", string: "1", options: .init(msgId: "m-1"))
      XCTAssertEqual(first, PubAck(stream: "EVENTS", sequence: 1, duplicate: false))
      let again = try await js.publish("events.a", string: "1", options: .init(msgId: "m-1"))
      XCTAssertTrue(again.duplicate)
      XCTAssertEqual(again.sequence, 1)

      let second = try await js.publish(
        "events.b", string: "2",
        options: .init(msgId: "m-2", expectedStream: "EVENTS", expectedLastSequence: 1))
      XCTAssertEqual(second.sequence, 2)
      XCTAssertFalse(second.duplicate)

      await assertAPIError(JetStreamAPIError.Code.streamWrongLastSequence) {
        _ = try await js.publish("events.c", string: "3", options: .init(expectedLastSequence: 1))
      }
      await assertAPIError(JetStreamAPIError.Code.streamNotMatch) {
        _ = try await js.publish("events.c", string: "3", options: .init(expectedStream: "NOPE"))
      }
      await assertAPIError(JetStreamAPIError.Code.streamWrongLastMsgID) {
        _ = try await js.publish("events.c", string: "3", options: .init(expectedLastMsgId: "m-1"))
      }
      let bySubject = try await js.publish(
        "events.b", string: "4", options: .init(expectedLastSubjectSequence: 2, expectedLastMsgId: "m-2"))
      XCTAssertEqual(bySubject.sequence, 3)

      let info = try await js.streamInfo("EVENTS")
      XCTAssertEqual(info.state.messages, 3, "the duplicate and the refused publishes were not stored")
    }
  }

  func testPublishWithoutStreamFailsWithNoRespondersAfterRetries() async throws {
    try await JetStreamServerFixture.run("publish-nostream") { f in
      do {
        _ = try await f.js.publish(
          "nobody.home", string: "x", options: .init(retryAttempts: 2, retryWait: .milliseconds(20)))
        XCTFail("no stream captures the subject")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .noResponders)
        XCTAssertTrue(error.message.contains("3 attempts"), error.message)
      }
    }
  }
}
