import CloudEvents
import DomainEvents
import Foundation
import XCTest

/// Generic checks driven by each kind's JSON Schema, plus the rules a schema walk cannot find.
final class ContractValidationTests: XCTestCase {
  // MARK: generated from the schemas

  func testEveryRequiredFieldMissingIsRejectedNamingTheField() throws {
    var checked = 0
    for kind in DomainEventKind.allCases {
      let data = try Fixtures.data(kind)
      for property in SchemaWalker.properties(of: try SchemaWalker.schema(for: kind), data: data)
      where property.isRequired {
        let event = try Fixtures.cloudEvent(kind) { $0.removing(property.path) }
        let error = decodingError(event)
        XCTAssertEqual(error?.code, .invalidPayload, "\(kind) \(property.path)")
        XCTAssertEqual(error?.field, property.path, "\(kind)")
        checked += 1

        let nulled = try Fixtures.cloudEvent(kind) { $0.setting(property.path, to: .null) }
        XCTAssertEqual(decodingError(nulled)?.field, property.path, "\(kind) null")
      }
    }
    XCTAssertGreaterThan(checked, 200)
  }

  func testEveryEnumerationAndConstantRejectsOtherValues() throws {
    var checked = 0
    for kind in DomainEventKind.allCases {
      let data = try Fixtures.data(kind)
      for property in SchemaWalker.properties(of: try SchemaWalker.schema(for: kind), data: data)
      where property.isEnumerated && data.value(at: property.path) != nil {
        let bogus: EventJSONValue = property.type == "integer" ? .integer(2) : .string("not_a_listed_value")
        let error = decodingError(try Fixtures.cloudEvent(kind) { $0.setting(property.path, to: bogus) })
        XCTAssertEqual(error?.code, .invalidPayload, "\(kind) \(property.path)")
        XCTAssertEqual(error?.field, property.path)
        XCTAssertFalse(error?.description.contains("not_a_listed_value") ?? true, "no values in messages")
        checked += 1
      }
    }
    // event, publisher and entity_type/severity constants plus the seed enumerations
    XCTAssertGreaterThan(checked, 60)
  }

  func testEveryUUIDFieldRejectsANonUUID() throws {
    var checked = 0
    for kind in DomainEventKind.allCases {
      let data = try Fixtures.data(kind)
      for property in SchemaWalker.properties(of: try SchemaWalker.schema(for: kind), data: data)
      where property.format == "uuid" && data.value(at: property.path) != nil {
        for bad in [
          "not-a-uuid", "0dbf5a8b6b194d67bde77b7e12b2c4df", "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4dg", "",
        ] {
          let error = decodingError(
            try Fixtures.cloudEvent(kind) { $0.setting(property.path, to: .string(bad)) })
          XCTAssertEqual(error?.code, .invalidPayload, "\(kind) \(property.path)")
          XCTAssertEqual(error?.field, property.path)
        }
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 100)
  }

  func testEveryDateFieldRejectsAnImpossibleOrMalformedDate() throws {
    var checked = 0
    for kind in DomainEventKind.allCases {
      let data = try Fixtures.data(kind)
      for property in SchemaWalker.properties(of: try SchemaWalker.schema(for: kind), data: data)
      where data.value(at: property.path) != nil {
        let bad: [String]
        if property.format == "date" {
          bad = ["2026-02-30", "2026-13-01", "2026-4-1", "2026-04-16T10:00:00Z", "16/04/2026"]
        } else if property.format == "date-time" {
          bad = [
            "2026-04-17 10:00:00Z", "2026-04-17T10:00:00", "2026-04-17", "2026-02-29T10:00:00Z", "yesterday",
          ]
        } else if property.isDateOrDateTime {
          bad = ["2026-13-01", "2026-04-17T25:00:00Z", "soon"]
        } else {
          continue
        }
        for text in bad {
          let error = decodingError(
            try Fixtures.cloudEvent(kind) { $0.setting(property.path, to: .string(text)) })
          XCTAssertEqual(error?.code, .invalidPayload, "\(kind) \(property.path) \(text)")
          XCTAssertEqual(error?.field, property.path)
        }
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 25)
  }

  func testWrongJSONTypesAreRejected() throws {
    let cases: [(DomainEventKind, String, EventJSONValue)] = [
      (.progressNoteSigned, "payload.requires_cosignature", .string("true")),
      (.progressNoteSigned, "payload.duration_minutes", .string("55")),
      (.progressNoteSigned, "payload.billing_codes", .string("90837")),
      (.progressNoteSigned, "payload.billing_codes[0]", .integer(90837)),
      (.progressNoteSigned, "payload", .array([])),
      (.progressNoteSigned, "metadata", .string("x")),
      (.patientCreated, "isNewborn", .integer(0)),
      (.patientDuplicateDetected, "matches[0].score", .number(92.5)),
      (.ceLeadConvertedToPatient, "payload.custom_fields", .array([])),
      (.clRestraintEventInitiated, "payload.max_duration_hours", .string("4")),
    ]
    for (kind, path, value) in cases {
      let error = decodingError(try Fixtures.cloudEvent(kind) { $0.setting(path, to: value) })
      XCTAssertEqual(error?.code, .invalidPayload, "\(kind) \(path)")
      XCTAssertEqual(error?.field, path)
    }
  }

  // MARK: ranges and lengths

  func testIntegerRanges() throws {
    let rejected: [(DomainEventKind, String, EventJSONValue)] = [
      (.progressNoteSigned, "payload.duration_minutes", .integer(-1)),
      (.faProgramCostAllocated, "payload.total_cost", .integer(-5)),
      (.faProgramCostAllocated, "payload.total_cost", .number(12.5)),
      (.faProgramCostAllocated, "payload.patient_count", .integer(-1)),
      (.faProgramCostAllocated, "payload.cost_per_patient_day", .number(-0.5)),
      (.clMoudAdherenceRisk, "payload.adherence_score", .integer(101)),
      (.clMoudAdherenceRisk, "payload.adherence_score", .integer(-1)),
      (.clMoudAdherenceRisk, "payload.threshold", .integer(101)),
      (.clAssessmentExpired, "payload.days_overdue", .integer(-3)),
      (.clMoudMonitoringOverdue, "payload.days_overdue", .integer(-3)),
      (.clCrisisEpisodeResolved, "payload.duration_minutes", .integer(-10)),
      (.patientDuplicateDetected, "matchCount", .integer(-1)),
      (.patientDuplicateDetected, "matches[0].score", .integer(101)),
      (.clRestraintEventInitiated, "payload.max_duration_hours", .integer(-4)),
      (.pmPatientMerged, "payload.schema_version", .integer(2)),
    ]
    for (kind, path, value) in rejected {
      let error = decodingError(try Fixtures.cloudEvent(kind) { $0.setting(path, to: value) })
      XCTAssertEqual(error?.code, .invalidPayload, "\(kind) \(path)")
      XCTAssertEqual(error?.field, path, "\(kind)")
    }
    let accepted: [(DomainEventKind, String, EventJSONValue)] = [
      (.clMoudAdherenceRisk, "payload.adherence_score", .integer(0)),
      (.clMoudAdherenceRisk, "payload.adherence_score", .integer(100)),
      (.progressNoteSigned, "payload.duration_minutes", .integer(0)),
      (.faProgramCostAllocated, "payload.total_cost", .integer(0)),
      (.faProgramCostAllocated, "payload.cost_per_patient_day", .integer(187)),
      (.clRestraintEventInitiated, "payload.max_duration_hours", .number(1.5)),
    ]
    for (kind, path, value) in accepted {
      XCTAssertNoThrow(
        try DomainEventDecoder.decode(try Fixtures.cloudEvent(kind) { $0.setting(path, to: value) }))
    }
  }

  func testNotesAtMost500Characters() throws {
    for kind in [DomainEventKind.ceLeadConvertedToPatient, .ceLeadConvertedToResident, .ceLeadConverted] {
      let limit = String(repeating: "é", count: 500)
      XCTAssertNoThrow(
        try DomainEventDecoder.decode(
          try Fixtures.cloudEvent(kind) { $0.setting("payload.notes", to: .string(limit)) }))
      let error = decodingError(
        try Fixtures.cloudEvent(kind) { $0.setting("payload.notes", to: .string(limit + "x")) })
      XCTAssertEqual(error?.field, "payload.notes")
      XCTAssertEqual(error?.code, .invalidPayload)
    }
  }

  func testProgressNoteNeedsAtLeastOneBillingCodeAndNonEmptyStrings() throws {
    let empty = decodingError(
      try Fixtures.cloudEvent(.progressNoteSigned) { $0.setting("payload.billing_codes", to: .array([])) })
    XCTAssertEqual(empty?.field, "payload.billing_codes")
    let blank = decodingError(
      try Fixtures.cloudEvent(.progressNoteSigned) { $0.setting("payload.billing_codes[0]", to: .string("")) }
    )
    XCTAssertEqual(blank?.field, "payload.billing_codes[0]")
    let correlation = decodingError(
      try Fixtures.cloudEvent(.progressNoteSigned) { $0.setting("metadata.correlation_id", to: .string("")) })
    XCTAssertEqual(correlation?.field, "metadata.correlation_id")
    let status = decodingError(
      try Fixtures.cloudEvent(.encounterStatusChanged) { $0.setting("newStatus", to: .string("")) })
    XCTAssertEqual(status?.field, "newStatus")
  }

  // MARK: seed-specific rules

  func testRiskLevelIsOpenButNotEmpty() throws {
    XCTAssertNoThrow(
      try DomainEventDecoder.decode(
        try Fixtures.cloudEvent(.clCrisisEpisodeOpened) {
          $0.setting("payload.risk_level", to: .string("moderate"))
        }))
    let error = decodingError(
      try Fixtures.cloudEvent(.clCrisisEpisodeOpened) { $0.setting("payload.risk_level", to: .string("")) })
    XCTAssertEqual(error?.field, "payload.risk_level")
  }

  func testCrisisTypeFollowsThe004List() throws {
    for type in ["walk_in", "mobile", "observation_23hr", "phone", "telehealth"] {
      for kind in [DomainEventKind.clCrisisEpisodeOpened, .clCrisisEpisodeResolved] {
        XCTAssertNoThrow(
          try DomainEventDecoder.decode(
            try Fixtures.cloudEvent(kind) { $0.setting("payload.crisis_type", to: .string(type)) }))
      }
    }
    let error = decodingError(
      try Fixtures.cloudEvent(.clCrisisEpisodeResolved) {
        $0.setting("payload.crisis_type", to: .string("Mobile"))
      })
    XCTAssertEqual(error?.field, "payload.crisis_type")
  }

  func testSiteIsRequiredOnlyForCrisisOpened() throws {
    let error = decodingError(
      try Fixtures.cloudEvent(.clCrisisEpisodeOpened) { $0.removing("metadata.site_id") })
    XCTAssertEqual(error?.field, "metadata.site_id")
    let decoded = try DomainEventDecoder.decode(
      try Fixtures.cloudEvent(.progressNoteSigned) { $0.removing("metadata.site_id") })
    XCTAssertNil(decoded.metadata?.site_id)
  }

  func testDueDateAcceptsDateOrDateTime() throws {
    for text in ["2026-12-31", "2026-12-31T23:59:59Z", "2026-12-31T23:59:59.5-08:00"] {
      XCTAssertNoThrow(
        try DomainEventDecoder.decode(
          try Fixtures.cloudEvent(.clCareGapIdentified) { $0.setting("payload.due_date", to: .string(text)) })
      )
      XCTAssertNoThrow(
        try DomainEventDecoder.decode(
          try Fixtures.cloudEvent(.clMoudMonitoringOverdue) {
            $0.setting("payload.expected_date", to: .string(text))
          }))
    }
  }

  func testMeasureIdAndCorrelationIdAreFreeText() throws {
    let decoded = try DomainEventDecoder.decode(
      try Fixtures.cloudEvent(.clCareGapIdentified) {
        $0.setting("payload.measure_id", to: .string("FUH-30"))
      })
    guard case .clCareGapIdentified(let envelope) = decoded.body else { return XCTFail("wrong body") }
    XCTAssertEqual(envelope.payload.measure_id, "FUH-30")
  }

  func testLeadConversionRepeatedIdsMustAgree() throws {
    let entity = decodingError(
      try Fixtures.cloudEvent(.ceLeadConvertedToPatient) {
        $0.setting("payload.entity_id", to: .string("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"))
      })
    XCTAssertEqual(
      entity,
      DomainEventError(
        code: .invalidPayload, field: "payload.entity_id", reason: "must equal payload.lead_id"))
    let organization = decodingError(
      try Fixtures.cloudEvent(.ceLeadConvertedToResident) {
        $0.setting("payload.organization_id", to: .string("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"))
      })
    XCTAssertEqual(organization?.field, "payload.organization_id")
    // UUIDs compare without regard to case
    XCTAssertNoThrow(
      try DomainEventDecoder.decode(
        try Fixtures.cloudEvent(.ceLeadConverted) {
          $0.setting("payload.entity_id", to: .string("F1E2D3C4-B5A6-4978-8A9B-0C1D2E3F4A5B"))
        }))
  }

  func testPatientMergedRepeatedIdsMustAgree() throws {
    let entity = decodingError(
      try Fixtures.cloudEvent(.pmPatientMerged) {
        $0.setting("payload.merge_log_id", to: .string("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"))
      })
    XCTAssertEqual(entity?.field, "payload.entity_id")
    let organization = decodingError(
      try Fixtures.cloudEvent(.pmPatientMerged) {
        $0.setting("metadata.organization_id", to: .string("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"))
      })
    XCTAssertEqual(organization?.field, "payload.organization_id")
  }

  func testOptionalFieldsMayBeAbsentOrNull() throws {
    let absent = try DomainEventDecoder.decode(
      try Fixtures.cloudEvent(.pmReferralAccepted) {
        $0.removing("payload.chart_id").removing("payload.authorization_number")
      })
    guard case .pmReferralAccepted(let envelope) = absent.body else { return XCTFail("wrong body") }
    XCTAssertNil(envelope.payload.chart_id)
    XCTAssertNil(envelope.payload.authorization_number)
    XCTAssertNoThrow(
      try DomainEventDecoder.decode(
        try Fixtures.cloudEvent(.pmReferralAccepted) { $0.setting("payload.chart_id", to: .null) }))
    XCTAssertNoThrow(
      try DomainEventDecoder.decode(
        try Fixtures.cloudEvent(.progressNoteSigned) { $0.removing("payload.modifiers") }))
  }

  func testUnknownExtraFieldsAreAcceptedAndKept() throws {
    let event = try Fixtures.cloudEvent(.progressNoteSigned) {
      $0.setting("payload.place_of_service", to: .string("11")).setting("schema_hint", to: .integer(3))
    }
    let decoded = try DomainEventDecoder.decode(event)
    XCTAssertEqual(decoded.cloudEvent.data, event.data)
    XCTAssertTrue(String(decoding: decoded.cloudEvent.data ?? [], as: UTF8.self).contains("place_of_service"))
  }

  func testUppercaseUUIDsAreAccepted() throws {
    XCTAssertNoThrow(
      try DomainEventDecoder.decode(
        try Fixtures.cloudEvent(.progressNoteSigned) {
          $0.setting("payload.chart_id", to: .string("C1A2B3C4-D5E6-4F70-8192-A3B4C5D6E7F8"))
        }))
  }

  func testMessagesNeverQuotePayloadValues() throws {
    let secret = "Jane Doe 1970-01-01"
    for path in ["payload.chart_id", "payload.note_type", "payload.service_date", "payload.duration_minutes"]
    {
      let error = decodingError(
        try Fixtures.cloudEvent(.progressNoteSigned) { $0.setting(path, to: .string(secret)) })
      XCTAssertNotNil(error)
      XCTAssertFalse(error?.description.contains("Jane") ?? true)
    }
  }

  // MARK: the CloudEvent around the data

  func testUnknownTypeIsUnknownType() throws {
    var event = try Fixtures.cloudEvent(.progressNoteSigned)
    event.type = "encoreos.cl.progress_note_unsigned"
    XCTAssertEqual(decodingError(event)?.code, .unknownType)
    XCTAssertEqual(decodingError(event)?.field, "type")
    event.type = "ghasi.registration.patient.deleted"
    XCTAssertEqual(decodingError(event)?.code, .unknownType)
  }

  func testSourceMustMatchTheKind() throws {
    var event = try Fixtures.cloudEvent(.progressNoteSigned)
    event.source = "encoreos/pm"
    XCTAssertEqual(
      decodingError(event),
      DomainEventError(
        code: .invalidEnvelope, field: "source",
        reason: "must be \"encoreos/cl\" for type encoreos.cl.progress_note_signed"))
    var registration = try Fixtures.cloudEvent(.patientCreated)
    registration.source = "ghasi/scheduling"
    XCTAssertEqual(decodingError(registration)?.field, "source")
  }

  func testCloudEventIdMustEqualMetadataEventId() throws {
    var event = try Fixtures.cloudEvent(.clCareGapClosed)
    event.id = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
    let error = decodingError(event)
    XCTAssertEqual(error?.code, .invalidEnvelope)
    XCTAssertEqual(error?.field, "id")
  }

  func testEventNameMustMatchTheType() throws {
    let event = try Fixtures.cloudEvent(.clCareGapClosed) {
      $0.setting("event", to: .string("cl_care_gap_identified"))
    }
    XCTAssertEqual(decodingError(event)?.field, "event")
    let publisher = try Fixtures.cloudEvent(.pmReferralAccepted) {
      $0.setting("publisher", to: .string("CL"))
    }
    XCTAssertEqual(decodingError(publisher)?.field, "publisher")
  }

  func testExtensionsMustMirrorMetadata() throws {
    var organization = try Fixtures.cloudEvent(.clAssessmentExpired)
    organization.extensions["organizationid"] = .string("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")
    XCTAssertEqual(decodingError(organization)?.field, "organizationid")
    XCTAssertEqual(decodingError(organization)?.code, .invalidEnvelope)

    var correlation = try Fixtures.cloudEvent(.clAssessmentExpired)
    correlation.extensions["correlationid"] = .string("another-flow")
    XCTAssertEqual(decodingError(correlation)?.field, "correlationid")

    var absent = try Fixtures.cloudEvent(.clAssessmentExpired)
    absent.extensions = [:]
    XCTAssertNoThrow(try DomainEventDecoder.decode(absent), "the extensions are optional on input")

    var registration = try Fixtures.cloudEvent(.encounterRegistered)
    registration.extensions["organizationid"] = .string("9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d")
    XCTAssertEqual(decodingError(registration)?.field, "organizationid")
  }

  func testRegistrationIdMustBeAUUID() throws {
    var event = try Fixtures.cloudEvent(.patientMerged)
    event.id = "merge-42"
    XCTAssertEqual(
      decodingError(event),
      DomainEventError(code: .invalidEnvelope, field: "id", reason: "must be a UUID for REGISTRATION events"))
  }

  func testDataMustBePresentJSONAndAnObject() throws {
    var missing = try Fixtures.cloudEvent(.patientCreated)
    missing.data = nil
    XCTAssertEqual(
      decodingError(missing), DomainEventError(code: .invalidEnvelope, field: "data", reason: "is required"))

    var garbage = try Fixtures.cloudEvent(.patientCreated)
    garbage.data = Array("{\"patientId\":".utf8)
    XCTAssertEqual(
      decodingError(garbage),
      DomainEventError(code: .invalidPayload, field: "data", reason: "is not valid JSON"))

    var array = try Fixtures.cloudEvent(.patientCreated)
    array.data = Array("[1,2]".utf8)
    XCTAssertEqual(
      decodingError(array),
      DomainEventError(code: .invalidPayload, field: "data", reason: "must be a JSON object"))

    var deep = try Fixtures.cloudEvent(.patientCreated)
    deep.data = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
    XCTAssertEqual(decodingError(deep)?.field, "data", "deep nesting is an error, not a crash")
  }

  func testDataContentTypeMustBeJSON() throws {
    var event = try Fixtures.cloudEvent(.clCareGapClosed)
    event.datacontenttype = "text/plain"
    XCTAssertEqual(decodingError(event)?.field, "datacontenttype")
    event.datacontenttype = "application/json; charset=utf-8"
    XCTAssertNoThrow(try DomainEventDecoder.decode(event))
    event.datacontenttype = "application/vnd.encoreos+json"
    XCTAssertNoThrow(try DomainEventDecoder.decode(event))
    event.datacontenttype = nil
    XCTAssertNoThrow(try DomainEventDecoder.decode(event))
  }

  func testCloudEventAttributeViolationsAreInvalidEnvelope() throws {
    var event = try Fixtures.cloudEvent(.clCareGapClosed)
    event.specversion = "0.3"
    let error = decodingError(event)
    XCTAssertEqual(error?.code, .invalidEnvelope)
    XCTAssertEqual(error?.field, "specversion")
  }

  func testErrorDescription() {
    XCTAssertEqual(
      DomainEventError(code: .invalidPayload, field: "payload.entity_id", reason: "must be a UUID")
        .description,
      "invalidPayload: payload.entity_id: must be a UUID")
    XCTAssertEqual(
      DomainEventError(code: .unknownType, field: nil, reason: "x").description, "unknownType: x")
  }
}
