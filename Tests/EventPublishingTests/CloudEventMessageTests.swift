import CloudEvents
import EventPublishing
import NATSWire
import NIOCore
import XCTest

final class CloudEventMessageTests: XCTestCase {
  func testBinaryModeMapsAttributesToHeadersAndMsgIdToEventID() throws {
    let event = try TestEvents.patientCreated(id: "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e01")
    let (headers, body) = try CloudEventMessage.encode(event)
    XCTAssertEqual(headers["ce-specversion"], "1.0")
    XCTAssertEqual(headers["ce-id"], "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e01")
    XCTAssertEqual(headers["ce-source"], "ghasi/registration")
    XCTAssertEqual(headers["ce-type"], "ghasi.registration.patient.created")
    XCTAssertEqual(headers["ce-time"], "2026-04-17T10:00:00Z")
    XCTAssertEqual(headers["ce-datacontenttype"], "application/json")
    XCTAssertEqual(headers["Content-Type"], "application/json")
    XCTAssertEqual(headers[NATSHeaders.Name.msgId], "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e01")
    XCTAssertEqual(headers.values(for: NATSHeaders.Name.msgId).count, 1)
    XCTAssertEqual(body, event.data)
  }

  func testMsgIdCanBeOverriddenForReplays() throws {
    let event = try TestEvents.patientCreated()
    let headers = try CloudEventMessage.headers(for: event, msgId: "replay:run1:\(event.id)")
    XCTAssertEqual(headers[NATSHeaders.Name.msgId], "replay:run1:\(event.id)")
    XCTAssertEqual(headers["ce-id"], event.id)
  }

  func testStructuredModeSendsTheJSONFormat() throws {
    let event = try TestEvents.patientCreated()
    let (headers, body) = try CloudEventMessage.encode(event, mode: .structured)
    XCTAssertEqual(headers["Content-Type"], "application/cloudevents+json")
    XCTAssertFalse(headers.contains("ce-specversion"))
    XCTAssertEqual(headers[NATSHeaders.Name.msgId], event.id)
    XCTAssertEqual(try CloudEventJSONFormat.decode(body), event)
  }

  func testDecodeReadsBothModes() throws {
    let event = try TestEvents.patientCreated()
    for mode in [CloudEventNATSBinding.Mode.binary, .structured] {
      let (headers, body) = try CloudEventMessage.encode(event, mode: mode)
      XCTAssertEqual(try CloudEventMessage.decode(headers: headers, payload: body), event, "\(mode)")
      let buffer = ByteBuffer(bytes: body)
      XCTAssertEqual(try CloudEventMessage.decode(headers: headers, payload: buffer), event, "\(mode)")
      XCTAssertEqual(buffer.readableBytes, body.count, "the buffer is not consumed")
    }
  }

  func testPercentEncodedValuesRoundTrip() throws {
    var event = TestEvents.unknownType()
    event.subject = "ward 7 / bed \"3\" — é"
    let (headers, body) = try CloudEventMessage.encode(event)
    XCTAssertEqual(headers["ce-subject"], "ward%207%20/%20bed%20%223%22%20%E2%80%94%20%C3%A9")
    XCTAssertEqual(try CloudEventMessage.decode(headers: headers, payload: body).subject, event.subject)
  }

  func testDecodeRefusesAMessageThatIsNotACloudEvent() {
    XCTAssertThrowsError(try CloudEventMessage.decode(headers: nil, payload: Array("hello".utf8))) { error in
      XCTAssertEqual((error as? CloudEventDecodingError)?.code, .notACloudEvent)
    }
    let missingID = NATSHeaders([("ce-specversion", "1.0"), ("ce-source", "a/b"), ("ce-type", "t")])
    XCTAssertThrowsError(try CloudEventMessage.decode(headers: missingID, payload: [UInt8]())) { error in
      XCTAssertEqual((error as? CloudEventDecodingError)?.code, .missingAttribute)
    }
  }

  func testEncodeRefusesAnInvalidEvent() throws {
    var event = try TestEvents.patientCreated()
    event.source = ""
    let error = publishingError { _ = try CloudEventMessage.encode(event) }
    XCTAssertEqual(error?.code, .invalidEvent)
    XCTAssertTrue(error?.message.contains("source") ?? false, "\(String(describing: error))")
  }
}
