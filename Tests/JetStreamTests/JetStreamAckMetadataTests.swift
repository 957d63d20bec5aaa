import NATSWire
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

  /// The String-splitting parser the byte parser replaced, kept as the oracle.
  private func referenceParse(_ replySubject: String) -> JetStreamAckMetadata? {
    let tokens = replySubject.split(separator: ".", omittingEmptySubsequences: false)
    guard tokens.count >= 9, tokens[0] == "$JS", tokens[1] == "ACK" else { return nil }
    if tokens.contains(where: { $0.isEmpty }) { return nil }
    let base: Int
    var domain: String?
    var accountHash: String?
    var token: String?
    if tokens.count == 9 {
      base = 2
    } else if tokens.count >= 11 {
      base = 4
      domain = tokens[2] == "_" ? nil : String(tokens[2])
      accountHash = String(tokens[3])
      if tokens.count > 11 { token = tokens[11...].joined(separator: ".") }
    } else {
      return nil
    }
    guard
      let delivered = UInt64(tokens[base + 2]),
      let streamSequence = UInt64(tokens[base + 3]),
      let consumerSequence = UInt64(tokens[base + 4]),
      let timestamp = Int64(tokens[base + 5]),
      let pending = UInt64(tokens[base + 6])
    else { return nil }
    return JetStreamAckMetadata(
      domain: domain, accountHash: accountHash, stream: String(tokens[base]),
      consumer: String(tokens[base + 1]), delivered: delivered, streamSequence: streamSequence,
      consumerSequence: consumerSequence, timestamp: timestamp, pending: pending, token: token)
  }

  func testNumbersAreReadAsTheIntegerInitializersReadThem() throws {
    let m = try XCTUnwrap(JetStreamAckMetadata.parse("$JS.ACK.S.C.+3.-0.007.-1700000000000000000.+0"))
    XCTAssertEqual(m.delivered, 3)
    XCTAssertEqual(m.streamSequence, 0)
    XCTAssertEqual(m.consumerSequence, 7)
    XCTAssertEqual(m.timestamp, -1_700_000_000_000_000_000)
    XCTAssertEqual(m.pending, 0)
    let extremes = try XCTUnwrap(
      JetStreamAckMetadata.parse("$JS.ACK.S.C.18446744073709551615.1.1.-9223372036854775808.1"))
    XCTAssertEqual(extremes.delivered, UInt64.max)
    XCTAssertEqual(extremes.timestamp, Int64.min)
    XCTAssertNil(JetStreamAckMetadata.parse("$JS.ACK.S.C.1.1.1.9223372036854775808.1"))
    XCTAssertNil(JetStreamAckMetadata.parse("$JS.ACK.S.C.1.1.1.+.1"))
    XCTAssertNil(JetStreamAckMetadata.parse("$JS.ACK.S.C.1.1.1.1.+-1"))
  }

  func testSubjectsThatCannotBePublishedToHaveNoMetadata() {
    for subject in [
      "$JS.ACK.S.C D.1.2.3.4.5", "$JS.ACK.S.C\r\nPUB.1.2.3.4.5", "$JS.ACK.*.C.1.2.3.4.5",
      "$JS.ACK._.H.>.C.1.2.3.4.5", "$JS.ACK._.H.S.C.1.2.3.4.5.>", "$JS.ACK.S.C\u{7F}.1.2.3.4.5",
    ] {
      XCTAssertNil(JetStreamAckMetadata.parse(subject), subject.debugDescription)
    }
    XCTAssertNotNil(JetStreamAckMetadata.parse("$JS.ACK.S.C*.1.2.3.4.5"), "'*' inside a token is a character")
  }

  func testByteParserAgreesWithTheStringParserOnRandomSubjects() {
    let pieces = [
      "$JS", "ACK", "_", "hub", "H4sh", "ORDERS", "wörker", "0", "1", "42", "-0", "+7", "-3", "x", "",
      "18446744073709551616", "9223372036854775807", "tok", "$JS.ACK",
    ]
    var generator = SystemRandomNumberGenerator()
    var parsed = 0
    for _ in 0..<20_000 {
      let count = Int.random(in: 7...13, using: &generator)
      var tokens = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "x" }
      if Bool.random(using: &generator) {
        // Mostly well-formed: the right prefix and numbers where the layout wants them.
        tokens.insert(contentsOf: ["$JS", "ACK"], at: 0)
        let base = tokens.count == 9 ? 2 : 4
        for offset in 2...6 where base + offset < tokens.count && Int.random(in: 0..<4, using: &generator) > 0
        {
          tokens[base + offset] = String(UInt64.random(in: 0...10_000, using: &generator))
        }
      }
      let subject = tokens.joined(separator: ".")
      let expected = referenceParse(subject)
      let actual = JetStreamAckMetadata.parse(subject)
      if actual != nil { parsed += 1 }
      // The byte parser also refuses subjects that are not valid publish subjects.
      if NATSSubject.isValidPublish(subject) {
        XCTAssertEqual(actual, expected, subject)
      } else {
        XCTAssertNil(actual, subject)
      }
    }
    XCTAssertGreaterThan(parsed, 100, "the generator produces parseable subjects too")
  }
}
