import DomainEvents
import Foundation
import XCTest

/// The committed docs/contracts/*.schema.json and the generated part of docs/CONTRACTS.md must
/// equal what the contract table produces. Run with DOMAIN_EVENTS_WRITE_DOCS=1 to regenerate them.
final class EventCatalogTests: XCTestCase {
  private var docs: URL { Repository.root.appendingPathComponent("docs") }
  private var shouldWrite: Bool { ProcessInfo.processInfo.environment["DOMAIN_EVENTS_WRITE_DOCS"] == "1" }

  func testCommittedSchemasAreUpToDate() throws {
    let directory = docs.appendingPathComponent("contracts")
    if shouldWrite { try EventCatalog.writeSchemas(to: directory) }
    let present = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    XCTAssertEqual(
      present, Set(EventCatalog.all.map(EventCatalog.schemaFileName(for:))), "no missing or stale schema")
    for kind in EventCatalog.all {
      let file = directory.appendingPathComponent(EventCatalog.schemaFileName(for: kind))
      let committed = try String(contentsOf: file, encoding: .utf8)
      XCTAssertEqual(
        committed, EventCatalog.jsonSchema(for: kind),
        "\(file.lastPathComponent) is stale: rerun with DOMAIN_EVENTS_WRITE_DOCS=1")
    }
  }

  func testContractsMarkdownIsUpToDate() throws {
    let file = docs.appendingPathComponent("CONTRACTS.md")
    let generated = "\n\n" + EventCatalog.markdownReference() + "\n"
    if shouldWrite {
      var text = try String(contentsOf: file, encoding: .utf8)
      let begin = try XCTUnwrap(text.range(of: EventCatalog.markdownBeginMarker))
      let end = try XCTUnwrap(text.range(of: EventCatalog.markdownEndMarker))
      text.replaceSubrange(begin.upperBound..<end.lowerBound, with: generated)
      try Data(text.utf8).write(to: file, options: .atomic)
    }
    let text = try String(contentsOf: file, encoding: .utf8)
    let begin = try XCTUnwrap(text.range(of: EventCatalog.markdownBeginMarker))
    let end = try XCTUnwrap(text.range(of: EventCatalog.markdownEndMarker))
    XCTAssertEqual(
      String(text[begin.upperBound..<end.lowerBound]), generated, "rerun with DOMAIN_EVENTS_WRITE_DOCS=1")
  }

  func testWriteSchemasWritesOneFilePerKind() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "schemas-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try EventCatalog.writeSchemas(to: directory)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    XCTAssertEqual(names.count, 25)
    let text = try String(
      contentsOf: directory.appendingPathComponent("pm_patient_merged.schema.json"), encoding: .utf8)
    XCTAssertEqual(text, EventCatalog.jsonSchema(for: .pmPatientMerged))
  }

  func testSchemasAreDraft2020JSONWithTheCloudEventsAttributes() throws {
    for kind in EventCatalog.all {
      let schema = try SchemaWalker.schema(for: kind)
      XCTAssertEqual(schema["$schema"], .string("https://json-schema.org/draft/2020-12/schema"))
      XCTAssertEqual(schema["title"], .string(kind.rawValue))
      XCTAssertEqual(schema["type"], .string("object"))
      XCTAssertEqual(schema["x-nats-subject"], .string(kind.subject))
      let cloudEvents = try XCTUnwrap(schema["x-cloudevents"]?.objectMembers)
      XCTAssertEqual(cloudEvents["type"], .string(kind.cloudEventType))
      XCTAssertEqual(cloudEvents["source"], .string(kind.cloudEventSource))
      XCTAssertNotNil(schema["x-dedupe-key"]?.stringValue)
      XCTAssertEqual(schema["deprecated"], kind.isDeprecated ? .bool(true) : nil)
    }
  }

  func testRequiredFieldListMatchesTheSchema() throws {
    for kind in EventCatalog.all {
      let data = try Fixtures.data(kind)
      let fromSchema = SchemaWalker.properties(of: try SchemaWalker.schema(for: kind), data: data)
        .filter(\.isRequired).map { $0.path.replacingOccurrences(of: "[0]", with: "[]") }
      XCTAssertEqual(Set(EventCatalog.requiredFields(for: kind)), Set(fromSchema), "\(kind)")
    }
    XCTAssertEqual(
      EventCatalog.requiredFields(for: .patientDuplicateDetected),
      ["tenantId", "matchCount", "matchIds", "matches", "matches[].id", "matches[].mrn", "matches[].score"])
  }

  func testSchemaSpotChecks() throws {
    let note = try SchemaWalker.schema(for: .progressNoteSigned)
    let payload = try XCTUnwrap(note["properties"]?.objectMembers?["payload"]?.objectMembers)
    let noteType = try XCTUnwrap(payload["properties"]?.objectMembers?["note_type"]?.objectMembers)
    XCTAssertEqual(noteType["enum"], .array(["individual", "group", "family", "crisis"].map { .string($0) }))
    let metadata = try XCTUnwrap(note["properties"]?.objectMembers?["metadata"]?.objectMembers)
    XCTAssertEqual(
      metadata["required"],
      .array(["organization_id", "user_id", "timestamp", "correlation_id", "event_id"].map { .string($0) }))

    let opened = try SchemaWalker.schema(for: .clCrisisEpisodeOpened)
    let openedMetadata = try XCTUnwrap(opened["properties"]?.objectMembers?["metadata"]?.objectMembers)
    guard case .array(let required)? = openedMetadata["required"] else { return XCTFail("no required list") }
    XCTAssertTrue(required.contains(.string("site_id")))

    let lead = EventCatalog.jsonSchema(for: .ceLeadConverted)
    XCTAssertTrue(lead.contains("\"maxLength\": 500"))
    XCTAssertTrue(lead.contains("[\"payload.entity_id\", \"payload.lead_id\"]"))
  }

  func testMarkdownReferenceHasOneSectionPerContract() {
    let text = EventCatalog.markdownReference()
    for kind in EventCatalog.all {
      XCTAssertTrue(text.contains("### `\(kind.rawValue)`"), kind.rawValue)
      XCTAssertTrue(text.contains("| NATS subject | `\(kind.subject)` |"))
    }
    XCTAssertTrue(text.contains("one of `routine`, `urgent`, `emergent`"))
    XCTAssertTrue(text.contains("| Dedupe key | `payload.merge_log_id` |"))
  }
}
