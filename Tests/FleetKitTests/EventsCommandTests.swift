import DomainEvents
import FleetKit
import XCTest

/// `fleet events ls` and `fleet events show` against DomainEvents' catalog.
final class EventsCommandTests: XCTestCase {
  func testListShowsEveryKindWithTypeSourceDedupeKeyAndDeprecation() async throws {
    let capture = try await FleetTest.run(["events", "ls"])
    let lines = capture.outputLines
    XCTAssertEqual(lines.count, DomainEventKind.allCases.count + 1, "header plus one row per kind")
    XCTAssertTrue(lines[0].hasPrefix("SUBJECT"))
    for kind in DomainEventKind.allCases {
      let row = try XCTUnwrap(lines.first { $0.hasPrefix(kind.subject + " ") }, "row for \(kind.subject)")
      XCTAssertTrue(row.contains(kind.cloudEventType), row)
      XCTAssertTrue(row.contains(kind.cloudEventSource), row)
      XCTAssertEqual(row.hasSuffix("deprecated"), kind.isDeprecated, row)
      let info = EventContractInfo(kind)
      XCTAssertFalse(info.dedupeKey.isEmpty, "dedupe key rule of \(kind)")
      XCTAssertTrue(row.contains(info.dedupeKey), row)
    }
  }

  func testShowPrintsTheContractAndOptionallyTheSchema() async throws {
    let plain = try await FleetTest.run(["events", "show", "progress_note_signed"])
    XCTAssertTrue(plain.output.contains("Subject: cl_pm_events.progress_note_signed"))
    XCTAssertTrue(plain.output.contains("CloudEvents type: encoreos.cl.progress_note_signed"))
    XCTAssertTrue(plain.output.contains("payload.entity_id"), "the field table is shown")
    XCTAssertFalse(plain.output.contains("\"$schema\""))

    let withSchema = try await FleetTest.run([
      "events", "show", "cl_pm_events.progress_note_signed", "--schema",
    ])
    XCTAssertTrue(withSchema.output.contains(EventCatalog.jsonSchema(for: .progressNoteSigned)))

    let registration = try await FleetTest.run(["events", "show", "ghasi.registration.patient.merged"])
    XCTAssertTrue(registration.output.contains("Event: REGISTRATION.patient.merged"))

    let deprecated = try await FleetTest.run(["events", "show", "ceLeadConverted"])
    XCTAssertTrue(deprecated.output.contains("Event: ce_lead_converted (deprecated)"))
  }

  func testUnknownKindIsAnErrorWithExitCode1() async throws {
    do {
      try await FleetTest.run(["events", "show", "no_such_event"])
      XCTFail("expected an error")
    } catch let error as FleetError {
      XCTAssertEqual(error.code, .unknownEventKind)
    }
    let (code, capture) = try await FleetTest.execute(["events", "show", "no_such_event"])
    XCTAssertEqual(code, 1)
    XCTAssertTrue(capture.error.hasPrefix("fleet: error: unknown event kind 'no_such_event'"), capture.error)
    XCTAssertEqual(capture.error.filter { $0 == "\n" }.count, 1, "one line")
  }
}
