import XCTest

@testable import JetStream

final class JetStreamAckMetadataTests: XCTestCase {
  func testParsesV1Subject() throws {
    let m = try XCTUnwrap(
      JetStreamAckMetadata.parse("$JS.ACK.ORDERS.worker.3.1042.77.1700000000123456789.12"))
    XCTAssertEqual(m.stream, "ORDERS")
    XCTAssertEqual(m.consumer, "worker")
    XCTAssertEqual(m.delivered, 3)
    XCTAssertEqual(m.streamSequence, 1042)
    XCTAssertEqual(m.consumerSequence, 77)
    XCTAssertEqual(m.timestamp, 1_700_000_000_123_456_789)
    XCTAssertEqual(m.pending, 12)
    XCTAssertNil(m.domain)
    XCTAssertNil(m.accountHash)
    XCTAssertNil(m.token)
  }

  func testParsesV2SubjectWithoutDomain() throws {
    let m = try XCTUnwrap(
      JetStreamAckMetadata.parse(
        "$JS.ACK._.ACCHASH42.WQ_CHARGE_CAPTURE.charge-capture.1.5.5.1700000000000000001.0"))
    XCTAssertNil(m.domain, "'_' means no domain")
    XCTAssertEqual(m.accountHash, "ACCHASH42")
    XCTAssertEqual(m.stream, "WQ_CHARGE_CAPTURE")
    XCTAssertEqual(m.consumer, "charge-capture")
    XCTAssertEqual(m.delivered, 1)
    XCTAssertEqual(m.streamSequence, 5)
    XCTAssertEqual(m.consumerSequence, 5)
    XCTAssertEqual(m.pending, 0)
    XCTAssertNil(m.token)
  }

  func testParsesV2SubjectWithDomainAndToken() throws {
    let m = try XCTUnwrap(
      JetStreamAckMetadata.parse("$JS.ACK.hub.AbC.S.C.2.10.9.1700000000000000000.4.rNd0mT0k"))
    XCTAssertEqual(m.domain, "hub")
    XCTAssertEqual(m.accountHash, "AbC")
    XCTAssertEqual(m.stream, "S")
    XCTAssertEqual(m.consumer, "C")
    XCTAssertEqual(m.delivered, 2)
    XCTAssertEqual(m.streamSequence, 10)
    XCTAssertEqual(m.consumerSequence, 9)
    XCTAssertEqual(m.pending, 4)
    XCTAssertEqual(m.token, "rNd0mT0k")
  }

  func testRejectsMalformedSubjects() {
    let bad = [
      "",
      "$JS.ACK",
      "$JS.ACK.S.C.1.2.3.4",  // 8 tokens
      "$JS.ACK.D.H.S.C.1.2.3.4",  // 10 tokens
      "$JS.NAK.S.C.1.2.3.4.5",
      "_INBOX.abc.S.C.1.2.3.4.5",
      "$JS.ACK.S.C.x.2.3.4.5",  // non-numeric delivered
      "$JS.ACK.S.C.1.2.3.4.-5",  // negative pending
      "$JS.ACK.S..1.2.3.4.5",  // empty token
      "$JS.ACK._.H.S.C.1.2.3.4.99999999999999999999999",  // overflow
      "$JS.ACK._.H.S.C.1.2.3.4.5.",  // trailing dot
    ]
    for subject in bad {
      XCTAssertNil(JetStreamAckMetadata.parse(subject), subject)
    }
  }
}
