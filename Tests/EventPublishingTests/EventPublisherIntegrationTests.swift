import CloudEvents
import EventPublishing
import JetStream
import NATS
import NATSWire
import XCTest

final class EventPublisherIntegrationTests: XCTestCase {
  func testPublishReturnsAPubAckAndTheSameEventAgainIsADuplicate() async throws {
    try await PublishingServerFixture.run("publisher-dedupe") { f in
      let publisher = EventPublisher(jetStream: f.jetStream)
      let event = try TestEvents.patientCreated()
      let first = try await publisher.publish(event)
      XCTAssertEqual(first.stream, PublishingServerFixture.stream)
      XCTAssertEqual(first.sequence, 1)
      XCTAssertFalse(first.duplicate)

      let again = try await publisher.publish(event)
      XCTAssertTrue(
        again.duplicate, "the same event id inside the duplicate window is reported as a duplicate")
      XCTAssertEqual(again.sequence, 1)
      let count = try await f.messageCount()
      XCTAssertEqual(count, 1)

      let stored = try await f.jetStream.getMessage(stream: PublishingServerFixture.stream, sequence: 1)
      XCTAssertEqual(stored.subject, "REGISTRATION.patient.created")
      XCTAssertEqual(stored.headers?[NATSHeaders.Name.msgId], event.id)
      XCTAssertEqual(stored.headers?["ce-id"], event.id)
      XCTAssertEqual(try CloudEventMessage.decode(headers: stored.headers, payload: stored.payload), event)
    }
  }

  func testAnInvalidContractIsRefusedBeforeAnythingIsSent() async throws {
    try await PublishingServerFixture.run("publisher-refuses") { f in
      let publisher = EventPublisher(jetStream: f.jetStream)
      let before = f.client.statistics.outMessages
      do {
        try await publisher.publish(try TestEvents.invalidContract())
        XCTFail("an invalid contract must be refused")
      } catch let error as EventPublishingError {
        XCTAssertEqual(error.code, .invalidEvent)
        XCTAssertTrue(error.message.contains("patientId"), error.message)
      }
      do {
        try await publisher.publish(TestEvents.unknownType())
        XCTFail("an unknown type without subject must be refused")
      } catch let error as EventPublishingError {
        XCTAssertEqual(error.code, .unknownSubject)
      }
      XCTAssertEqual(f.client.statistics.outMessages, before, "nothing was sent")
      let count = try await f.messageCount()
      XCTAssertEqual(count, 0)
    }
  }

  func testStructuredModeAndAnExplicitMsgIdArePublishedAsGiven() async throws {
    try await PublishingServerFixture.run("publisher-structured") { f in
      let publisher = EventPublisher(jetStream: f.jetStream, mode: .structured)
      let event = try TestEvents.patientCreated()
      let ack = try await publisher.publish(event, msgId: "replay:r1:\(event.id)")
      let stored = try await f.jetStream.getMessage(
        stream: PublishingServerFixture.stream, sequence: ack.sequence)
      XCTAssertEqual(stored.headers?["Content-Type"], "application/cloudevents+json")
      XCTAssertEqual(stored.headers?[NATSHeaders.Name.msgId], "replay:r1:\(event.id)")
      XCTAssertEqual(try CloudEventMessage.decode(headers: stored.headers, payload: stored.payload), event)
      let plain = try await publisher.publish(event)
      XCTAssertFalse(plain.duplicate, "a different msg id is a different message for the stream")
    }
  }

  func testPublishAsyncFillsTheStreamAndReportsDuplicates() async throws {
    try await PublishingServerFixture.run("publisher-async") { f in
      let publisher = EventPublisher(jetStream: f.jetStream, asyncWindow: 64)
      let events = try (0..<500).map { _ in try TestEvents.patientCreated() }
      var futures: [JetStreamPubAckFuture] = []
      for event in events { futures.append(try await publisher.publishAsync(event)) }
      futures.append(try await publisher.publishAsync(events[0]))
      try await publisher.waitForAll(timeout: .seconds(20))
      XCTAssertEqual(publisher.pendingAsyncCount, 0)
      var duplicates = 0
      for future in futures where try await future.value().duplicate { duplicates += 1 }
      XCTAssertEqual(duplicates, 1)
      let count = try await f.messageCount()
      XCTAssertEqual(count, 500)
      await publisher.close()
    }
  }
}
