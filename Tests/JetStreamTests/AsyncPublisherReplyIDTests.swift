import XCTest

@testable import JetStream

/// The async publisher routes each PubAck by the base-36 id at the end of its reply subject.
final class AsyncPublisherReplyIDTests: XCTestCase {
  private let prefix = "_INBOX.abc123."

  func testIdsRoundTripThroughTheReplySubject() {
    for id: UInt64 in [0, 1, 35, 36, 4095, 1_000_000, UInt64(Int64.max), .max] {
      XCTAssertEqual(JetStreamAsyncPublisher.replyID(prefix + String(id, radix: 36), prefix: prefix), id)
    }
    XCTAssertEqual(JetStreamAsyncPublisher.replyID(prefix + "ZZ", prefix: prefix), 35 * 36 + 35)
  }

  func testReplySubjectsAreThePrefixAndTheBase36Id() {
    var ids: [UInt64] = [0, 1, 9, 10, 35, 36, 1295, 1296, 4095, 1_000_000, UInt64(Int64.max), .max - 1, .max]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<1_000 { ids.append(generator.next()) }
    for id in ids {
      let subject = JetStreamAsyncPublisher.replySubject(prefix, id)
      XCTAssertEqual(subject, prefix + String(id, radix: 36))
      XCTAssertEqual(JetStreamAsyncPublisher.replyID(subject, prefix: prefix), id)
    }
    XCTAssertEqual(JetStreamAsyncPublisher.replySubject("", 36), "10")
  }

  func testAnythingElseIsRejected() {
    for subject in [
      "", prefix, "_INBOX.other.1", "_INBOX.abc12.1", prefix + "1.2", prefix + "-1", prefix + "1 ",
      prefix + "é", prefix + String(repeating: "z", count: 14),
    ] {
      XCTAssertNil(JetStreamAsyncPublisher.replyID(subject, prefix: prefix), subject)
    }
  }
}
