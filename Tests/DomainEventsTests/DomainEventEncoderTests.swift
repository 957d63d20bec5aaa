import CloudEvents
import DomainEvents
import Foundation
import XCTest

final class DomainEventEncoderTests: XCTestCase {
  private let organization = "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"

  private func noteEnvelope(eventId: String = "7d4c1e2f-0a9b-4c8d-9e7f-6a5b4c3d2e1f") -> ContractEnvelope<
    ProgressNoteSignedPayload
  > {
    ContractEnvelope(
      kind: .progressNoteSigned,
      payload: ProgressNoteSignedPayload(
        entity_id: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", chart_id: "c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8",
        encounter_id: "6a1d3b5a-2f4e-4c1b-9a7d-3e5f6a7b8c9d",
        rendering_provider_id: "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        service_date: "2026-04-16", billing_codes: ["90837"], duration_minutes: 53, note_type: "group",
        requires_cosignature: false, cosigned: false),
      metadata: EventMetadata(
        organization_id: organization, user_id: "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        timestamp: "2026-04-16T17:45:12.345+02:00", correlation_id: "signing-flow-1", event_id: eventId))
  }

  func testContractEventAttributes() throws {
    let envelope = noteEnvelope()
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    let event = try DomainEventEncoder.cloudEvent(
      kind: .progressNoteSigned, envelope: envelope, traceparent: traceparent)
    XCTAssertEqual(event.id, "7d4c1e2f-0a9b-4c8d-9e7f-6a5b4c3d2e1f")
    XCTAssertEqual(event.type, "encoreos.cl.progress_note_signed")
    XCTAssertEqual(event.source, "encoreos/cl")
    XCTAssertEqual(event.specversion, "1.0")
    XCTAssertEqual(event.datacontenttype, "application/json")
    XCTAssertEqual(event.time?.rfc3339, "2026-04-16T17:45:12.345+02:00")
    XCTAssertEqual(event.extensions["correlationid"], .string("signing-flow-1"))
    XCTAssertEqual(event.extensions["organizationid"], .string(organization))
    XCTAssertEqual(event.extensions["traceparent"], .string(traceparent))
    XCTAssertTrue(event.validationErrors().isEmpty)

    let decoded = try DomainEventDecoder.decode(event)
    XCTAssertEqual(decoded.body, .progressNoteSigned(envelope))
    XCTAssertEqual(decoded.dedupeKey, envelope.metadata.event_id)
    XCTAssertEqual(envelope.event, "progress_note_signed")
    XCTAssertEqual(envelope.publisher, "CL")
    XCTAssertEqual(envelope.subscriber, ["PM", "PF", "FW"])
  }

  func testEncodingIsDeterministic() throws {
    let first = try DomainEventEncoder.cloudEvent(kind: .progressNoteSigned, envelope: noteEnvelope())
    let second = try DomainEventEncoder.cloudEvent(kind: .progressNoteSigned, envelope: noteEnvelope())
    XCTAssertEqual(first.data, second.data)
    let text = String(decoding: first.data ?? [], as: UTF8.self)
    XCTAssertTrue(text.hasPrefix("{\"event\":\"progress_note_signed\",\"metadata\":{"), text)
    XCTAssertFalse(text.contains("modifiers"), "absent optionals are omitted")
  }

  func testEncoderRefusesAnInvalidContract() {
    var envelope = noteEnvelope()
    envelope.payload.chart_id = "chart-7"
    XCTAssertThrowsError(try DomainEventEncoder.cloudEvent(kind: .progressNoteSigned, envelope: envelope)) {
      error in
      XCTAssertEqual((error as? DomainEventError)?.field, "payload.chart_id")
    }
    var mismatch = noteEnvelope()
    mismatch.metadata.organization_id = "not-a-tenant"
    XCTAssertThrowsError(try DomainEventEncoder.cloudEvent(kind: .progressNoteSigned, envelope: mismatch)) {
      error in
      XCTAssertEqual((error as? DomainEventError)?.field, "metadata.organization_id")
    }
  }

  func testEncoderRefusesAPayloadOfAnotherKind() {
    let envelope = noteEnvelope()
    XCTAssertThrowsError(
      try DomainEventEncoder.cloudEvent(kind: .clCrisisEpisodeResolved, envelope: envelope)
    ) { error in
      XCTAssertEqual((error as? DomainEventError)?.code, .invalidPayload)
    }
    XCTAssertThrowsError(try DomainEventEncoder.cloudEvent(kind: .patientCreated, envelope: envelope)) {
      error in
      XCTAssertEqual((error as? DomainEventError)?.field, "type")
    }
  }

  func testSystemEventWithTypedPayloadsForEveryContractShape() throws {
    let metadata = EventMetadata(
      organization_id: organization, user_id: SystemActor.profileID, timestamp: "2026-05-03T12:00:00Z",
      correlation_id: "merge-run-9", event_id: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e")
    let merged = ContractEnvelope(
      kind: .pmPatientMerged,
      payload: PatientMergedPayload(
        entity_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        merge_log_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        survivor_patient_id: "11111111-1111-1111-1111-111111111111",
        merged_patient_id: "22222222-2222-2222-2222-222222222222", organization_id: organization,
        occurred_at: "2026-05-03T12:00:00Z"),
      metadata: metadata)
    let event = try DomainEventEncoder.cloudEvent(.pmPatientMerged(merged))
    XCTAssertEqual(event.type, "encoreos.pm.pm_patient_merged")
    XCTAssertEqual(event.id, metadata.event_id)
    let decoded = try DomainEventDecoder.decode(event)
    XCTAssertEqual(decoded.dedupeKey, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
    XCTAssertEqual(merged.payload.schema_version, 1)
    XCTAssertEqual(merged.payload.entity_type, "patient_merge")

    let conversion = ContractEnvelope(
      kind: .ceLeadConvertedToPatient,
      payload: LeadConvertedPayload(
        entity_id: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", lead_id: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
        organization_id: organization, conversion_type: "lead_to_patient", correlation_id: "lead-corr",
        converted_by: "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", custom_fields: ["tier": .string("gold")]),
      metadata: metadata)
    let lead = try DomainEventDecoder.decode(
      try DomainEventEncoder.cloudEvent(.ceLeadConvertedToPatient(conversion)))
    XCTAssertEqual(
      lead.dedupeKey, "\(organization)/f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b/lead_to_patient/lead-corr")
    XCTAssertEqual(lead.body, .ceLeadConvertedToPatient(conversion))
  }

  func testRegistrationEvent() throws {
    let data = PatientCreatedData(
      patientId: "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df",
      stablePatientId: "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df",
      mrn: "PAT-AAAA-1", tenantId: "aaaaaaaa-0000-0000-0000-000000000000", isUnidentified: true,
      isProvisional: false, isNewborn: false, temporaryEnterpriseKey: "UNK-AAAA-1",
      unidentifiedSlaDueAt: "2026-04-18T10:00:00Z")
    let time = Date(timeIntervalSince1970: 1_776_420_000)
    let event = try DomainEventEncoder.cloudEvent(
      kind: .patientCreated, registrationData: data, id: "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e99", time: time,
      tenantId: data.tenantId)
    XCTAssertEqual(event.type, "ghasi.registration.patient.created")
    XCTAssertEqual(event.source, "ghasi/registration")
    XCTAssertEqual(event.time?.date, time)
    XCTAssertEqual(event.extensions["organizationid"], .string(data.tenantId))
    let decoded = try DomainEventDecoder.decode(event)
    XCTAssertEqual(decoded.body, .patientCreated(data))
    XCTAssertEqual(
      decoded.dedupeKey, "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e99/0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df")
  }

  func testRegistrationEncoderChecksKindAndTenant() {
    let data = PatientUnmergedData(
      survivorId: "11111111-1111-1111-1111-111111111111", sourceId: "22222222-2222-2222-2222-222222222222",
      stableSurvivorId: "11111111-1111-1111-1111-111111111111",
      stableSourceId: "22222222-2222-2222-2222-222222222222",
      tenantId: "aaaaaaaa-0000-0000-0000-000000000000")
    XCTAssertThrowsError(
      try DomainEventEncoder.cloudEvent(
        kind: .patientUnmerged, registrationData: data, id: UUID().uuidString, time: Date(),
        tenantId: "bbbbbbbb-0000-0000-0000-000000000000")
    ) { XCTAssertEqual(($0 as? DomainEventError)?.field, "organizationid") }
    XCTAssertThrowsError(
      try DomainEventEncoder.cloudEvent(
        kind: .progressNoteSigned, registrationData: data, id: UUID().uuidString, time: Date(),
        tenantId: data.tenantId)
    ) { XCTAssertEqual(($0 as? DomainEventError)?.field, "type") }
    XCTAssertThrowsError(
      try DomainEventEncoder.cloudEvent(
        kind: .patientMerged, registrationData: data, id: UUID().uuidString, time: Date(),
        tenantId: data.tenantId)
    ) { XCTAssertEqual(($0 as? DomainEventError)?.field, "involvedUnidentified") }

    let body = DomainEventBody.patientUnmerged(data)
    XCTAssertNoThrow(try DomainEventEncoder.cloudEvent(body))
    XCTAssertEqual(body.kind, .patientUnmerged)
    XCTAssertEqual(body.organizationId, data.tenantId)
  }

  func testBodyEncoderUsesGivenIdAndTime() throws {
    let data = EncounterStatusChangedData(
      encounterId: "6a1d3b5a-2f4e-4c1b-9a7d-3e5f6a7b8c9d", patientId: "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df",
      stablePatientId: "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df",
      tenantId: "aaaaaaaa-0000-0000-0000-000000000000",
      previousStatus: "arrived", newStatus: "in-progress")
    let time = Date(timeIntervalSince1970: 1_776_430_000.5)
    let event = try DomainEventEncoder.cloudEvent(
      .encounterStatusChanged(data), id: "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e10", time: time)
    XCTAssertEqual(event.id, "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e10")
    XCTAssertEqual(event.time?.date, time)
    let generated = try DomainEventEncoder.cloudEvent(.encounterStatusChanged(data))
    XCTAssertTrue(ContractFormat.isUUID(generated.id))
  }
}
