import DomainEvents
import LeadReconciliation
import XCTest

final class LeadReconciliationConfigurationTests: XCTestCase {
  private func load(_ json: String) throws -> LeadReconciliationConfiguration {
    try LeadReconciliationConfiguration.load(json: Array(json.utf8))
  }

  func testNilAndEmptyObjectGiveDefaults() throws {
    XCTAssertEqual(try LeadReconciliationConfiguration.load(json: nil), .defaults)
    XCTAssertEqual(try load("{}"), .defaults)
    XCTAssertEqual(LeadReconciliationConfiguration.defaults.pendingRegistrationRetentionDays, 90)
  }

  func testRetentionParsesAndRoundTrips() throws {
    let configuration = try load(#"{"pending_registration_retention_days": 14}"#)
    XCTAssertEqual(configuration.pendingRegistrationRetentionDays, 14)
    XCTAssertEqual(
      try LeadReconciliationConfiguration.load(json: Array(try JSONEncoder().encode(configuration))),
      configuration)
  }

  func testInvalidConfigurationsAreRejected() {
    for json in [
      #"{"pending_registration_retention_days": 0}"#, #"{"retention_days": 5}"#, "[",
      #"{"pending_registration_retention_days": "x"}"#,
    ] {
      XCTAssertThrowsError(try load(json), json) { error in
        XCTAssertTrue(error is LeadReconciliationConfigurationError, "\(error)")
      }
    }
  }

  // MARK: splitting a conversion into rows

  private let lead = "1e1e1e1e-0000-4000-8000-000000000001"
  private let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"

  private func payload(_ type: String, notes: String? = nil) -> LeadConvertedPayload {
    LeadConvertedPayload(
      entity_id: lead, lead_id: lead, organization_id: organization, conversion_type: type,
      correlation_id: "c",
      patient_id: "9A9A9A9A-0000-4000-8000-000000000001", resident_id: "5d5d5d5d-0000-4000-8000-000000000001",
      converted_by: "4c4c4c4c-0000-4000-8000-000000000001", notes: notes)
  }

  private let metadata = EventMetadata(
    organization_id: "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b", user_id: "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0",
    timestamp: "2026-04-17T10:00:00Z", correlation_id: "c", event_id: "0e0e0e0e-0000-4000-8000-000000000001")

  func testSingleTypeConversionIsOneUnchangedRow() throws {
    let records = try LeadConversionRecord.records(from: payload("lead_to_resident"), metadata: metadata)
    XCTAssertEqual(records.count, 1)
    XCTAssertEqual(records[0].conversionType, "lead_to_resident")
    XCTAssertEqual(records[0].correlationId, "c")
    XCTAssertEqual(records[0].patientId, "9a9a9a9a-0000-4000-8000-000000000001", "UUIDs are lowercased")
    XCTAssertNil(records[0].customFields)
  }

  func testLeadToBothSplitsDeterministically() throws {
    let first = try LeadConversionRecord.records(from: payload("lead_to_both"), metadata: metadata)
    let again = try LeadConversionRecord.records(from: payload("lead_to_both"), metadata: metadata)
    XCTAssertEqual(first, again)
    XCTAssertEqual(first.map(\.conversionType), ["lead_to_patient", "lead_to_resident"])
    XCTAssertEqual(first.map(\.correlationId), ["c#patient", "c#resident"])
    XCTAssertNil(first[0].residentId)
    XCTAssertNil(first[1].patientId)
  }

  func testPatientCorrelationCandidates() {
    XCTAssertEqual(LeadConversionRecord.patientCorrelationCandidates("c"), ["c", "c#patient"])
    XCTAssertEqual(LeadConversionRecord.patientCorrelationCandidates("c#patient"), ["c#patient"])
  }

  func testNotesOverFiveHundredCharactersAreRejected() {
    XCTAssertThrowsError(
      try LeadConversionRecord.records(
        from: payload("lead_to_patient", notes: String(repeating: "é", count: 501)), metadata: metadata))
    XCTAssertNoThrow(
      try LeadConversionRecord.records(
        from: payload("lead_to_patient", notes: String(repeating: "é", count: 500)), metadata: metadata))
  }
}
