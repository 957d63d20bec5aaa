import CloudEvents
import DomainEvents
import Foundation
import XCTest

final class FixtureRoundTripTests: XCTestCase {
  func testEveryKindHasAFixtureAndNothingElseIsThere() throws {
    let directory = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
      $0.hasSuffix(".json")
    }
    XCTAssertEqual(Set(names), Set(DomainEventKind.allCases.map { "\($0.rawValue).json" }))
  }

  /// Decode → validate → re-encode → decode: the typed body, ids and keys survive unchanged.
  func testEveryFixtureDecodesReencodesAndDecodesBackEqual() throws {
    for kind in DomainEventKind.allCases {
      let original = try Fixtures.cloudEvent(kind)
      let decoded = try DomainEventDecoder.decode(original)
      XCTAssertEqual(decoded.kind, kind)
      XCTAssertEqual(decoded.body.kind, kind)
      XCTAssertEqual(decoded.cloudEvent, original, "the decoded event keeps the CloudEvent as received")

      let reencoded = try DomainEventEncoder.cloudEvent(reencoding: decoded)
      XCTAssertEqual(reencoded.id, original.id)
      XCTAssertEqual(reencoded.type, original.type)
      XCTAssertEqual(reencoded.source, original.source)
      XCTAssertEqual(reencoded.datacontenttype, "application/json")
      XCTAssertEqual(reencoded.time?.date, original.time?.date, "\(kind)")

      let again = try DomainEventDecoder.decode(reencoded)
      XCTAssertEqual(again.body, decoded.body, "\(kind)")
      XCTAssertEqual(again.dedupeKey, decoded.dedupeKey)
      XCTAssertEqual(again.organizationId, decoded.organizationId)
      XCTAssertEqual(again.eventId, decoded.eventId)
      if !kind.isRegistration {
        XCTAssertEqual(again.correlationId, decoded.correlationId)
        XCTAssertEqual(reencoded.extensions["organizationid"], .string(decoded.organizationId))
        XCTAssertEqual(reencoded.extensions["correlationid"], decoded.correlationId.map { .string($0) })
      } else {
        XCTAssertEqual(reencoded.extensions["organizationid"], .string(decoded.organizationId))
      }
    }
  }

  /// The re-encoded events also survive both NATS content modes of the CloudEvents module.
  func testEveryFixtureSurvivesBothNATSContentModes() throws {
    for kind in DomainEventKind.allCases {
      let decoded = try DomainEventDecoder.decode(try Fixtures.cloudEvent(kind))
      let event = try DomainEventEncoder.cloudEvent(reencoding: decoded)
      for mode in [CloudEventNATSBinding.Mode.binary, .structured] {
        let message = try CloudEventNATSBinding.encode(event, mode: mode)
        let received = try CloudEventNATSBinding.decode(headers: message.headers, body: message.body)
        XCTAssertEqual(try DomainEventDecoder.decode(received).body, decoded.body, "\(kind) \(mode)")
      }
    }
  }

  func testEveryFixtureHasEverySchemaRequiredField() throws {
    for kind in DomainEventKind.allCases {
      let data = try Fixtures.data(kind)
      let properties = SchemaWalker.properties(of: try SchemaWalker.schema(for: kind), data: data)
      let required = properties.filter(\.isRequired)
      XCTAssertFalse(required.isEmpty)
      for property in required {
        let value = data.value(at: property.path)
        XCTAssertNotNil(value, "\(kind): fixture lacks \(property.path)")
        XCTAssertNotEqual(value, .null, "\(kind): \(property.path) is null")
      }
    }
  }

  func testRegistrationFixturesKeepTheSeedShape() throws {
    let created = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.patientCreated))
    guard case .patientCreated(let data) = created.body else { return XCTFail("wrong body \(created.body)") }
    XCTAssertEqual(data.mrn, "PAT-AAAA-1739999999999")
    XCTAssertNil(data.temporaryEnterpriseKey)
    XCTAssertEqual(created.cloudEvent.time?.rfc3339, "2026-04-17T10:00:00Z")

    let reencoded = try DomainEventEncoder.cloudEvent(reencoding: created)
    let json = String(decoding: reencoded.data ?? [], as: UTF8.self)
    XCTAssertTrue(json.contains("\"temporaryEnterpriseKey\":null"), json)
    XCTAssertTrue(json.contains("\"unidentifiedSlaDueAt\":null"), json)

    let duplicate = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.patientDuplicateDetected))
    guard case .patientDuplicateDetected(let matches) = duplicate.body else { return XCTFail("wrong body") }
    XCTAssertEqual(
      matches.matches,
      [DuplicateMatch(id: "11111111-1111-1111-1111-111111111111", mrn: "PAT-AAAA-1739999999998", score: 92)])
  }

  func testContractFixturesDecodeToTheirTypedPayloads() throws {
    let note = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.progressNoteSigned))
    guard case .progressNoteSigned(let envelope) = note.body else { return XCTFail("wrong body") }
    XCTAssertEqual(envelope.payload.billing_codes, ["90837", "90785"])
    XCTAssertEqual(envelope.payload.modifiers, ["GT"])
    XCTAssertEqual(envelope.payload.duration_minutes, 55)
    XCTAssertEqual(envelope.subscriber, ["PM", "PF", "FW"])

    let lead = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.ceLeadConverted))
    guard case .ceLeadConverted(let conversion) = lead.body else { return XCTFail("wrong body") }
    XCTAssertEqual(conversion.payload.conversion_type, "lead_to_both")
    XCTAssertEqual(conversion.payload.custom_fields?["score"], .integer(7))

    let restraint = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.clRestraintEventTerminated))
    guard case .clRestraintEventTerminated(let ended) = restraint.body else { return XCTFail("wrong body") }
    XCTAssertEqual(ended.payload.restraint_id, "e5f6a7b8-c9d0-4e1f-9a2b-3c4d5e6f7a80")
    XCTAssertEqual(ended.payload.duration_exceeded, false)

    let cost = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.faProgramCostAllocated))
    guard case .faProgramCostAllocated(let allocation) = cost.body else { return XCTFail("wrong body") }
    XCTAssertEqual(allocation.payload.total_cost, 12_500_000)
    XCTAssertEqual(allocation.payload.cost_per_patient_day, 18750.5)
    XCTAssertEqual(allocation.metadata.user_id, SystemActor.profileID)
  }
}
