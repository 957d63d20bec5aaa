import Logging
import XCTest

@testable import ConsumerRuntime

/// The per-event logger writes the event's ids with every line, as when they were merged into the
/// handler's metadata, without building them for events that log nothing.
final class EventLogHandlerTests: XCTestCase {
  private let fields = EventLogFields(
    stream: "WQ_CHARGE_CAPTURE", consumer: "charge-capture", streamSequence: 42, deliveryCount: 3,
    eventId: "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86", eventType: "encoreos.cl.progress_note_signed")

  private func eventLogger(_ store: LogStore, fields: EventLogFields? = nil) -> Logger {
    var base = store.logger()
    base[metadataKey: "service"] = "charge-capture"
    let fields = fields ?? self.fields
    return Logger(label: base.label) { [handler = base.handler] _ in
      EventLogHandler(base: handler, fields: fields)
    }
  }

  func testEveryLineCarriesTheIdsAndTheBaseMetadata() {
    let store = LogStore()
    let logger = eventLogger(store)
    logger.info("Duplicate event — skipping")
    logger.warning("ack failed", metadata: ["error": "timeout"])
    XCTAssertEqual(store.lines.count, 2)
    for line in store.lines {
      XCTAssertEqual(line.metadata["stream"], "WQ_CHARGE_CAPTURE")
      XCTAssertEqual(line.metadata["consumer"], "charge-capture")
      XCTAssertEqual(line.metadata["stream_seq"], "42")
      XCTAssertEqual(line.metadata["delivery"], "3")
      XCTAssertEqual(line.metadata["event_id"], "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86")
      XCTAssertEqual(line.metadata["event_type"], "encoreos.cl.progress_note_signed")
      XCTAssertEqual(line.metadata["service"], "charge-capture")
    }
    XCTAssertEqual(store.lines[1].metadata["error"], "timeout")
  }

  func testIdsNotKnownYetAreLeftOut() {
    let store = LogStore()
    var partial = fields
    partial.eventId = nil
    partial.eventType = nil
    eventLogger(store, fields: partial).error("invalid CloudEvent")
    XCTAssertEqual(store.lines.first?.metadata["stream_seq"], "42")
    XCTAssertNil(store.lines.first?.metadata["event_id"])
    XCTAssertNil(store.lines.first?.metadata["event_type"])
  }

  func testCallSiteMetadataWinsOverTheIds() {
    let store = LogStore()
    eventLogger(store).notice("retry", metadata: ["delivery": "override"])
    XCTAssertEqual(store.lines.first?.metadata["delivery"], "override")
    XCTAssertEqual(store.lines.first?.metadata["stream"], "WQ_CHARGE_CAPTURE")
  }

  func testMetadataSetLaterIsAddedAndOverridesAnId() {
    let store = LogStore()
    var logger = eventLogger(store)
    logger[metadataKey: "lead_id"] = "lead-1"
    logger[metadataKey: "stream_seq"] = "changed"
    logger.info("linked")
    let line = store.lines.first
    XCTAssertEqual(line?.metadata["lead_id"], "lead-1")
    XCTAssertEqual(line?.metadata["stream_seq"], "changed")
    XCTAssertEqual(line?.metadata["event_id"], "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86")
    XCTAssertEqual(logger[metadataKey: "consumer"], "charge-capture")
  }

  func testTheHandlersMetadataIncludesTheIdsUntilReplaced() {
    let store = LogStore()
    var logger = eventLogger(store)
    XCTAssertEqual(logger.handler.metadata["event_id"], "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86")
    XCTAssertEqual(logger.handler.metadata["service"], "charge-capture")
    XCTAssertEqual(logger[metadataKey: "delivery"], "3")
    logger.handler.metadata = ["only": "this"]
    logger.info("replaced")
    XCTAssertEqual(store.lines.first?.metadata, ["only": "this"])
  }

  func testTheLevelIsTheBaseHandlersAndCanBeChanged() {
    let store = LogStore()
    var logger = eventLogger(store)
    XCTAssertEqual(logger.logLevel, .trace)
    logger.logLevel = .error
    logger.warning("filtered")
    logger.error("written")
    XCTAssertEqual(store.lines.map(\.message), ["written"])
  }

  func testCopiesOfTheLoggerAreIndependent() {
    let store = LogStore()
    let original = eventLogger(store)
    var copy = original
    copy[metadataKey: "lead_id"] = "lead-2"
    original.info("original")
    copy.info("copy")
    XCTAssertNil(store.lines[0].metadata["lead_id"])
    XCTAssertEqual(store.lines[1].metadata["lead_id"], "lead-2")
    XCTAssertEqual(store.lines[0].metadata["event_id"], store.lines[1].metadata["event_id"])
  }
}
