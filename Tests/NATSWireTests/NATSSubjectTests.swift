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

  /// The split-based rules the single-pass validator replaced, kept as the oracle.
  private func referenceValid(_ s: String, allowWildcards: Bool) -> Bool {
    let bytes = Array(s.utf8)
    if bytes.isEmpty || bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return false }
    let tokens = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    for (index, token) in tokens.enumerated() {
      if token.isEmpty { return false }
      guard token.count == 1, let only = token.first, only == UInt8(ascii: "*") || only == UInt8(ascii: ">")
      else { continue }
      if !allowWildcards { return false }
      if only == UInt8(ascii: ">") && index != tokens.count - 1 { return false }
    }
    return true
  }

  /// Publish and subscribe validity of `subject` as the oracle decides them.
  private func assertAgreesWithOracle(_ subject: String, line: UInt = #line) {
    XCTAssertEqual(
      NATSSubject.isValidPublish(subject), referenceValid(subject, allowWildcards: false),
      "publish \(subject.debugDescription)", line: line)
    XCTAssertEqual(
      NATSSubject.isValidSubscribe(subject), referenceValid(subject, allowWildcards: true),
      "subscribe \(subject.debugDescription)", line: line)
  }

  func testSinglePassValidationAgreesWithTheTokenRulesOnRandomSubjects() {
    let alphabet: [String] = [
      "a", "b", ".", "*", ">", " ", "\t", "\r", "\n", "\u{7F}", "\u{1}", "é", "-", "$",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let length = Int.random(in: 0...8, using: &generator)
      let subject = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" }.joined()
      assertAgreesWithOracle(subject)
      let hasLoneWildcardToken = subject.split(separator: ".", omittingEmptySubsequences: false)
        .contains { $0 == "*" || $0 == ">" }
      XCTAssertEqual(NATSSubject.hasWildcards(subject), hasLoneWildcardToken, subject.debugDescription)
    }
  }

  /// Long subjects, mostly valid, so that the eight-bytes-at-a-time pass meets every byte kind at
  /// every position of a word and across word boundaries (ack subjects are 50-70 bytes).
  func testWordAtATimeValidationAgreesOnLongSubjects() {
    // Weighted: mostly letters and dots, a few of each byte that matters.
    let common: [String] = ["a", "b", "7", ".", "_", "é"]
    let rare: [String] = [
      "*", ">", " ", "\t", "\r", "\n", "\u{7F}", "\u{1}", "\u{0}", "!", "\u{20}", "\u{21}", "/", "-",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let length = Int.random(in: 1...72, using: &generator)
      let subject = (0..<length).map { _ -> String in
        let pool = Int.random(in: 0..<40, using: &generator) == 0 ? rare : common
        return pool.randomElement(using: &generator) ?? "a"
      }.joined()
      assertAgreesWithOracle(subject)
    }
    // Every single forbidden byte at every offset of a 64-byte valid subject.
    let valid = Array("$JS.ACK.ORDERS.worker-1.1.42.17.1700000000000000000.3.abcdefghij".utf8)
    XCTAssertTrue(NATSSubject.isValidPublish(String(decoding: valid, as: UTF8.self)))
    for offset in valid.indices {
      for byte: UInt8 in [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x7F] {
        var bytes = valid
        bytes[offset] = byte
        XCTAssertFalse(
          NATSSubject.isValidPublish(String(decoding: bytes, as: UTF8.self)), "\(byte) at \(offset)")
      }
      var doubled = valid
      doubled[offset] = UInt8(ascii: ".")
      let subject = String(decoding: doubled, as: UTF8.self)
      XCTAssertEqual(
        NATSSubject.isValidPublish(subject), referenceValid(subject, allowWildcards: false), subject)
    }
  }

  func testValidationOfASubjectThatIsNotNativeUTF8() {
    // A Substring-backed String (shared storage) and a long subject take the same rules.
    let long = String(repeating: "token.", count: 200) + "end"
    XCTAssertTrue(NATSSubject.isValidPublish(long))
    XCTAssertFalse(NATSSubject.isValidPublish(long + ".*"))
    XCTAssertTrue(NATSSubject.isValidSubscribe(long + ".>"))
    let sliced = String("xx.orders.created.yy".dropFirst(3).dropLast(3))
    XCTAssertTrue(NATSSubject.isValidPublish(sliced))
  }
}
