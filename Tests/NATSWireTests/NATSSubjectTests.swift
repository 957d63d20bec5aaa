import NATSWire
import XCTest

final class NATSSubjectTests: XCTestCase {
  /// subject, valid for publish, valid for subscribe
  private let table: [(String, Bool, Bool)] = [
    ("foo", true, true),
    ("foo.bar", true, true),
    ("REGISTRATION.patient.created", true, true),
    ("cl_events.progress_note_signed", true, true),
    ("$JS.API.STREAM.INFO.ORDERS", true, true),
    ("_INBOX.abc123.1", true, true),
    ("a-b_c.d~e", true, true),
    ("ünïcødé.subject", true, true),
    ("foo*bar.baz", true, true),
    ("foo.>bar", true, true),
    ("*", false, true),
    (">", false, true),
    ("foo.*", false, true),
    ("foo.*.bar", false, true),
    ("foo.>", false, true),
    ("*.*.>", false, true),
    ("foo.>.bar", false, false),
    (">.foo", false, false),
    ("", false, false),
    (".", false, false),
    ("foo.", false, false),
    (".foo", false, false),
    ("foo..bar", false, false),
    ("foo bar", false, false),
    ("foo\tbar", false, false),
    ("foo\r\nbar", false, false),
    ("foo\n", false, false),
    ("foo\u{0}", false, false),
    ("foo\u{7F}", false, false),
    (" foo", false, false),
  ]

  func testPublishAndSubscribeTable() {
    for (subject, publish, subscribe) in table {
      XCTAssertEqual(NATSSubject.isValidPublish(subject), publish, "publish \(subject.debugDescription)")
      XCTAssertEqual(
        NATSSubject.isValidSubscribe(subject), subscribe, "subscribe \(subject.debugDescription)")
    }
  }

  func testWildcardDetection() {
    XCTAssertTrue(NATSSubject.hasWildcards("foo.*"))
    XCTAssertTrue(NATSSubject.hasWildcards(">"))
    XCTAssertFalse(NATSSubject.hasWildcards("foo*.bar"))
    XCTAssertFalse(NATSSubject.hasWildcards("foo.bar"))
  }

  func testQueueGroupTable() {
    let table: [(String, Bool)] = [
      ("workers", true),
      ("svc.workers", true),
      ("q-1_x", true),
      ("", false),
      ("two words", false),
      ("tab\tq", false),
      ("line\r\n", false),
    ]
    for (queue, valid) in table {
      XCTAssertEqual(NATSSubject.isValidQueueGroup(queue), valid, queue.debugDescription)
    }
  }
}
