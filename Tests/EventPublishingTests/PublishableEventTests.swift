import CloudEvents
import DomainEvents
import EventPublishing
import XCTest

final class PublishableEventTests: XCTestCase {
  func testAValidContractEventGoesToItsContractSubject() throws {
    let publishable = try PublishableEvent(try TestEvents.patientCreated())
    XCTAssertEqual(publishable.subject, "REGISTRATION.patient.created")
    XCTAssertEqual(publishable.kind, .patientCreated)
  }

  func testAnExplicitSubjectOverridesTheContractSubject() throws {
    let publishable = try PublishableEvent(try TestEvents.patientCreated(), subject: "replay.REGISTRATION.x")
    XCTAssertEqual(publishable.subject, "replay.REGISTRATION.x")
  }

  func testAnEventBreakingItsContractIsRefusedWithTheReason() throws {
    let event = try TestEvents.invalidContract()
    let error = publishingError { _ = try PublishableEvent(event) }
    XCTAssertEqual(error?.code, .invalidEvent)
    XCTAssertTrue(error?.message.contains("patientId") ?? false, "\(String(describing: error))")
    XCTAssertTrue(error?.message.contains(event.id) ?? false, "the reason names the event id")
    XCTAssertFalse(error?.message.contains("not-a-uuid") ?? true, "the reason never quotes payload values")
    XCTAssertTrue(error?.cause is DomainEventError)
  }

  func testAnUnknownTypeNeedsASubject() throws {
    let event = TestEvents.unknownType()
    XCTAssertEqual(publishingError { _ = try PublishableEvent(event) }?.code, .unknownSubject)
    let publishable = try PublishableEvent(event, subject: "test.ping")
    XCTAssertEqual(publishable.subject, "test.ping")
    XCTAssertNil(publishable.kind)
  }

  func testTheSubjectMustBeAPublishSubject() {
    let event = TestEvents.unknownType()
    for subject in ["", "a b", "test.*", "test.>", "a..b"] {
      XCTAssertEqual(
        publishingError { _ = try PublishableEvent(event, subject: subject) }?.code, .invalidSubject, subject)
    }
  }

  func testCloudEventRulesAreCheckedFirst() {
    var event = TestEvents.unknownType()
    event.specversion = "0.3"
    let error = publishingError { _ = try PublishableEvent(event, subject: "test.ping") }
    XCTAssertEqual(error?.code, .invalidEvent)
    XCTAssertTrue(error?.message.contains("specversion") ?? false)
  }
}
