import XCTest

@testable import ConsumerRuntime

final class DeadLetterTests: XCTestCase {
  func testOnlyEnvelopeHeadersAreCopiedAndOwnHeadersComeFirst() {
    let message = FakeWorkMessage(
      subject: "REGISTRATION.patient.created",
      headers: [
        ("Nats-Msg-Id", "m1"), ("ce-id", "e1"), ("CE-Type", "ghasi.registration.patient.created"),
        ("Nats-Stream-Source", "REGISTRATION 4"), ("Content-Type", "application/json"),
        ("traceparent", "00-x"),
      ],
      payload: [1, 2, 3], streamSequence: 12, deliveryCount: 4, stream: "WQ_CARE", consumer: "care")
    let letter = DeadLetter(
      service: "care-transitions", message: message, eventId: "e1", eventName: "REGISTRATION.patient.created",
      eventType: "ghasi.registration.patient.created", error: "line one\r\nline two", kind: "permanent",
      retryCount: 3, failedAt: "2026-04-17T10:00:00.000Z")

    XCTAssertEqual(letter.subject, "dlq.care-transitions.REGISTRATION.patient.created")
    XCTAssertEqual(letter.msgId, "dlq:care-transitions:WQ_CARE:12")
    XCTAssertEqual(letter.body, [1, 2, 3])
    XCTAssertEqual(
      letter.headers.map(\.0),
      [
        "Fleet-DLQ-Error", "Fleet-DLQ-Error-Kind", "Fleet-DLQ-Service", "Fleet-DLQ-Consumer",
        "Fleet-DLQ-Stream",
        "Fleet-DLQ-Stream-Seq", "Fleet-DLQ-Original-Subject", "Fleet-DLQ-Retry-Count", "Fleet-DLQ-Event-Id",
        "Fleet-DLQ-Event-Type", "Fleet-DLQ-Failed-At", "ce-id", "CE-Type", "Content-Type",
      ])
    XCTAssertEqual(letter.header("fleet-dlq-error"), "line one  line two", "no CR/LF in a header value")
    XCTAssertEqual(letter.header("Fleet-DLQ-Original-Subject"), "REGISTRATION.patient.created")
    XCTAssertEqual(letter.header("ce-type"), "ghasi.registration.patient.created")
  }

  func testSubjectTokenIsAlwaysPublishable() {
    XCTAssertEqual(DeadLetter.subjectToken("progress_note_signed"), "progress_note_signed")
    XCTAssertEqual(DeadLetter.subjectToken(""), "unknown")
    XCTAssertEqual(DeadLetter.subjectToken("a..b"), "unknown")
    XCTAssertEqual(DeadLetter.subjectToken("a b*>"), "a_b__")
  }

  func testEqualityComparesHeadersInOrder() {
    let a = DeadLetter(subject: "s", msgId: "m", headers: [("a", "1"), ("b", "2")], body: [])
    let b = DeadLetter(subject: "s", msgId: "m", headers: [("b", "2"), ("a", "1")], body: [])
    XCTAssertEqual(a, a)
    XCTAssertNotEqual(a, b)
  }

  func testHeaderTextIsBounded() {
    XCTAssertEqual(HeaderText.value(String(repeating: "x", count: 900)).count, HeaderText.maxLength)
    XCTAssertEqual(HeaderText.value("tab\there"), "tab here")
  }
}
