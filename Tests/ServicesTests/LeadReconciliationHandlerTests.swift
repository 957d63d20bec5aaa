import CloudEvents
import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import LeadReconciliation
import Logging
import XCTest

/// Valid seed events for the lead-reconciliation tests, built with `DomainEventEncoder` and decoded
/// with `DomainEventDecoder` like the runtime does.
private enum LRFixture {
  static let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"
  static let otherOrganization = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
  static let user = "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0"
  static let converter = "4c4c4c4c-0000-4000-8000-000000000001"
  static let now = Date(timeIntervalSince1970: 1_776_420_000)

  static func id(_ n: Int, prefix: String = "0c0c0c0c") -> String {
    String(format: "\(prefix)-0000-4000-8000-%012x", n)
  }

  static func newId() -> String { UUID().uuidString.lowercased() }

  static func decode(_ event: CloudEvent) throws -> InboundEvent {
    let decoded = try DomainEventDecoder.decode(event)
    return InboundEvent(decoded: decoded, subject: decoded.kind.subject, streamSequence: 1, deliveryCount: 1)
  }

  static func metadata(_ eventId: String, correlation: String, organization: String) -> EventMetadata {
    EventMetadata(
      organization_id: organization, user_id: user, timestamp: "2026-04-17T10:00:00Z",
      correlation_id: correlation,
      event_id: eventId)
  }

  static func conversion(
    _ kind: DomainEventKind = .ceLeadConvertedToPatient, lead: String, type: String = "lead_to_patient",
    correlation: String, patient: String? = nil, resident: String? = nil, notes: String? = nil,
    organization: String = organization, eventId: String = newId()
  ) throws -> CloudEvent {
    let payload = LeadConvertedPayload(
      entity_id: lead, lead_id: lead, organization_id: organization, conversion_type: type,
      correlation_id: correlation, patient_id: patient, resident_id: resident, converted_by: converter,
      notes: notes,
      custom_fields: ["source": .string("web"), "score": .integer(7)])
    return try DomainEventEncoder.cloudEvent(
      kind: kind,
      envelope: ContractEnvelope(
        kind: kind, payload: payload,
        metadata: metadata(eventId, correlation: correlation, organization: organization)))
  }

  static func patientCreated(patient: String, correlation: String?, organization: String = organization)
    throws
    -> CloudEvent
  {
    let data = PatientCreatedData(
      patientId: patient, stablePatientId: patient, mrn: "PAT-AAAA-1", tenantId: organization,
      isUnidentified: false,
      isProvisional: false, isNewborn: false)
    var event = try DomainEventEncoder.cloudEvent(
      kind: .patientCreated, registrationData: data, id: newId(), time: now, tenantId: organization)
    if let correlation { event.extensions["correlationid"] = .string(correlation) }
    return event
  }

  static func pmMerged(
    mergeLogId: String, survivor: String, merged: String, organization: String = organization,
    eventId: String = newId()
  ) throws -> CloudEvent {
    let payload = PatientMergedPayload(
      entity_id: mergeLogId, merge_log_id: mergeLogId, survivor_patient_id: survivor,
      merged_patient_id: merged,
      organization_id: organization, occurred_at: "2026-04-17T09:59:00Z")
    return try DomainEventEncoder.cloudEvent(
      kind: .pmPatientMerged,
      envelope: ContractEnvelope(
        kind: .pmPatientMerged, payload: payload,
        metadata: metadata(eventId, correlation: "merge-\(mergeLogId)", organization: organization)))
  }

  static func registrationMerged(survivor: String, source: String, organization: String = organization) throws
    -> CloudEvent
  {
    let data = PatientMergedData(
      survivorId: survivor, sourceId: source, stableSurvivorId: survivor, stableSourceId: source,
      tenantId: organization, involvedUnidentified: false, involvedProvisional: false)
    return try DomainEventEncoder.cloudEvent(
      kind: .patientMerged, registrationData: data, id: newId(), time: now, tenantId: organization)
  }

  static func registrationUnmerged(survivor: String, source: String, organization: String = organization)
    throws
    -> CloudEvent
  {
    let data = PatientUnmergedData(
      survivorId: survivor, sourceId: source, stableSurvivorId: survivor, stableSourceId: source,
      tenantId: organization)
    return try DomainEventEncoder.cloudEvent(
      kind: .patientUnmerged, registrationData: data, id: newId(), time: now, tenantId: organization)
  }
}

extension Row {
  /// The column as optional text (NULL or missing → nil), never trapping.
  fileprivate func text(_ column: String) -> String? { self[column] }
}

final class LeadReconciliationHandlerTests: XCTestCase {
  private var directory: URL!
  private var handler = LeadReconciliationHandler()
  private var database: ServiceDatabase!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("lr-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    database = try ServiceDatabase(path: directory.appendingPathComponent("lr.sqlite").path, handler: handler)
  }

  override func tearDown() {
    database = nil
    if let directory { try? FileManager.default.removeItem(at: directory) }
  }

  // MARK: helpers

  private func apply(_ event: CloudEvent, at now: Date = LRFixture.now) throws {
    let inbound = try LRFixture.decode(event)
    let notifications = try database.pool.write { db in
      var context = HandlerContext(
        now: now, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
      try handler.handle(inbound, db: db, context: &context)
      return context.notifications
    }
    XCTAssertTrue(notifications.isEmpty, "lead-reconciliation sends no notifications")
  }

  private func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
    try database.pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
  }

  private func count(_ table: String) throws -> Int {
    try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
  }

  private func linkedPatient(correlation: String, organization: String = LRFixture.organization) throws
    -> String?
  {
    try database.pool.read { db in
      try String.fetchOne(
        db,
        sql: "SELECT patient_id FROM ce_lead_patient_links WHERE organization_id = ? AND correlation_id = ?",
        arguments: [organization, correlation])
    }
  }

  private func assertPermanent(_ expression: @autoclosure () throws -> Void, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), line: line) { error in
      guard case .permanent = error as? HandlerError else {
        return XCTFail("expected a permanent error, got \(error)", line: line)
      }
    }
  }

  // MARK: conversions

  func testConversionTableHasExactlyTheSeedColumns() throws {
    let columns = try database.pool.read { db in try db.columns(in: "ce_lead_conversions").map(\.name) }
    XCTAssertEqual(
      columns,
      [
        "id", "organization_id", "lead_id", "conversion_type", "correlation_id", "patient_id", "resident_id",
        "converted_by", "notes", "custom_fields", "created_at", "created_by",
      ])
  }

  func testConversionInsertsOneRowAndRecordsItsSource() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    let eventId = LRFixture.newId()
    try apply(
      LRFixture.conversion(
        lead: lead, correlation: "\(lead)_to_lead_to_patient_1776420000", notes: "called back",
        eventId: eventId))
    let row = try XCTUnwrap(try rows("SELECT * FROM ce_lead_conversions").first)
    XCTAssertEqual(try count("ce_lead_conversions"), 1)
    XCTAssertEqual(row.text("organization_id"), LRFixture.organization)
    XCTAssertEqual(row.text("lead_id"), lead)
    XCTAssertEqual(row.text("conversion_type"), "lead_to_patient")
    XCTAssertEqual(row.text("correlation_id"), "\(lead)_to_lead_to_patient_1776420000")
    XCTAssertNil(row.text("patient_id"))
    XCTAssertNil(row.text("resident_id"))
    XCTAssertEqual(row.text("converted_by"), LRFixture.converter)
    XCTAssertEqual(row.text("notes"), "called back")
    XCTAssertEqual(row.text("custom_fields"), #"{"score":7,"source":"web"}"#)
    XCTAssertEqual(row.text("created_at"), "2026-04-17T10:00:00Z")
    XCTAssertEqual(row.text("created_by"), LRFixture.user)
    XCTAssertNotNil(UUID(uuidString: row.text("id") ?? ""))

    let source = try XCTUnwrap(try rows("SELECT * FROM ce_lead_conversion_sources").first)
    XCTAssertEqual(source.text("conversion_id"), row.text("id"))
    XCTAssertEqual(source.text("event_id"), eventId)
    XCTAssertEqual(source.text("event_name"), "ce_lead_converted_to_patient")
    XCTAssertEqual(try count("ce_lead_patient_links"), 0, "no patient known yet")
  }

  func testDuplicateDeliveryKeepsOneRowWithoutError() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    let eventId = LRFixture.newId()
    let event = try LRFixture.conversion(lead: lead, correlation: "c-1", eventId: eventId)
    try apply(event)
    try apply(event)  // the same event redelivered
    // A double submit: same intent, new event id.
    try apply(LRFixture.conversion(lead: lead, correlation: "c-1"))
    XCTAssertEqual(try count("ce_lead_conversions"), 1)
    XCTAssertEqual(try count("ce_lead_conversion_sources"), 2, "both event ids point at the one row")
  }

  func testLeadToBothMakesTwoRowsWithDerivedCorrelationIdsAndIsIdempotent() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    let patient = LRFixture.id(1, prefix: "9a9a9a9a")
    let resident = LRFixture.id(1, prefix: "5d5d5d5d")
    let event = try LRFixture.conversion(
      lead: lead, type: "lead_to_both", correlation: "c-both", patient: patient, resident: resident)
    try apply(event)
    try apply(event)
    // The resident-side granular event of the same intent maps onto the same rows.
    try apply(
      LRFixture.conversion(
        .ceLeadConvertedToResident, lead: lead, type: "lead_to_both", correlation: "c-both", patient: patient,
        resident: resident))

    let conversions = try rows("SELECT * FROM ce_lead_conversions ORDER BY conversion_type")
    XCTAssertEqual(conversions.count, 2)
    XCTAssertEqual(conversions.map { $0.text("conversion_type") }, ["lead_to_patient", "lead_to_resident"])
    XCTAssertEqual(conversions.map { $0.text("correlation_id") }, ["c-both#patient", "c-both#resident"])
    XCTAssertEqual(conversions[0].text("patient_id"), patient)
    XCTAssertNil(conversions[0].text("resident_id"))
    XCTAssertEqual(conversions[1].text("resident_id"), resident)
    XCTAssertNil(conversions[1].text("patient_id"))
    XCTAssertEqual(try linkedPatient(correlation: "c-both#patient"), patient)
    XCTAssertEqual(try count("ce_lead_patient_links"), 1)
  }

  func testDeprecatedEventIsAcceptedAndItsNameRecorded() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    try apply(
      LRFixture.conversion(.ceLeadConverted, lead: lead, type: "lead_to_resident", correlation: "c-old"))
    XCTAssertEqual(try count("ce_lead_conversions"), 1)
    XCTAssertEqual(
      try rows("SELECT event_name FROM ce_lead_conversion_sources").first?.text("event_name"),
      "ce_lead_converted")
  }

  func testGranularEventMustAgreeWithItsConversionType() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    assertPermanent(
      try apply(
        LRFixture.conversion(
          .ceLeadConvertedToPatient, lead: lead, type: "lead_to_resident", correlation: "c")))
    XCTAssertEqual(try count("ce_lead_conversions"), 0)
  }

  func testConversionTableIsInsertOnly() throws {
    try apply(LRFixture.conversion(lead: LRFixture.id(1), correlation: "c-1"))
    for statement in [
      "UPDATE ce_lead_conversions SET notes = 'changed'",
      "UPDATE ce_lead_conversions SET patient_id = '\(LRFixture.id(9))'",
      "DELETE FROM ce_lead_conversions",
    ] {
      XCTAssertThrowsError(try database.pool.write { db in try db.execute(sql: statement) }, statement) {
        error in
        XCTAssertTrue(
          String(describing: error).contains(LeadReconciliationSchema.insertOnlyMessage),
          String(describing: error))
      }
    }
    XCTAssertEqual(try count("ce_lead_conversions"), 1)
    XCTAssertNil(try rows("SELECT notes FROM ce_lead_conversions").first?.text("notes"))
  }

  // MARK: links

  func testConversionCarryingPatientIdLinksAtOnce() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    let patient = LRFixture.id(1, prefix: "9a9a9a9a")
    try apply(LRFixture.conversion(lead: lead, correlation: "c-1", patient: patient))
    let link = try XCTUnwrap(try rows("SELECT * FROM ce_lead_patient_links").first)
    XCTAssertEqual(link.text("lead_id"), lead)
    XCTAssertEqual(link.text("patient_id"), patient)
    XCTAssertEqual(link.text("original_patient_id"), patient)
    XCTAssertEqual(link.text("link_source"), "conversion_event")
  }

  func testPatientCreatedAfterTheConversionLinks() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    let patient = LRFixture.id(1, prefix: "9a9a9a9a")
    try apply(LRFixture.conversion(lead: lead, correlation: "c-1"))
    try apply(LRFixture.patientCreated(patient: patient, correlation: "c-1"))
    XCTAssertEqual(try linkedPatient(correlation: "c-1"), patient)
    XCTAssertEqual(
      try rows("SELECT link_source FROM ce_lead_patient_links").first?.text("link_source"),
      "registration_patient_created")
    XCTAssertEqual(try count("ce_pending_patient_registrations"), 0)
  }

  func testPatientCreatedBeforeTheConversionIsRememberedAndLinkedLater() throws {
    let lead = LRFixture.id(1, prefix: "1e1e1e1e")
    let patient = LRFixture.id(1, prefix: "9a9a9a9a")
    try apply(LRFixture.patientCreated(patient: patient, correlation: "c-1"))
    XCTAssertEqual(try count("ce_pending_patient_registrations"), 1)
    XCTAssertEqual(try count("ce_lead_patient_links"), 0)

    try apply(LRFixture.conversion(lead: lead, correlation: "c-1"))
    XCTAssertEqual(try linkedPatient(correlation: "c-1"), patient)
    XCTAssertEqual(try count("ce_pending_patient_registrations"), 0)
  }

  func testPatientCreatedMatchesTheDerivedCorrelationOfLeadToBothInEitherOrder() throws {
    let patient = LRFixture.id(1, prefix: "9a9a9a9a")
    try apply(LRFixture.conversion(lead: LRFixture.id(1), type: "lead_to_both", correlation: "c-a"))
    try apply(LRFixture.patientCreated(patient: patient, correlation: "c-a"))
    XCTAssertEqual(try linkedPatient(correlation: "c-a#patient"), patient)

    let second = LRFixture.id(2, prefix: "9a9a9a9a")
    try apply(LRFixture.patientCreated(patient: second, correlation: "c-b"))
    try apply(LRFixture.conversion(lead: LRFixture.id(2), type: "lead_to_both", correlation: "c-b"))
    XCTAssertEqual(try linkedPatient(correlation: "c-b#patient"), second)
    XCTAssertNil(try linkedPatient(correlation: "c-b#resident"))
  }

  func testRegistrationWithoutCorrelationIdChangesNothing() throws {
    try apply(LRFixture.patientCreated(patient: LRFixture.id(1), correlation: nil))
    XCTAssertEqual(try count("ce_pending_patient_registrations"), 0)
  }

  func testUnmatchedRegistrationsArePrunedAfterTheRetention() throws {
    handler = LeadReconciliationHandler(
      configuration: LeadReconciliationConfiguration(pendingRegistrationRetentionDays: 1))
    try apply(LRFixture.patientCreated(patient: LRFixture.id(1), correlation: "old"))
    try apply(
      LRFixture.patientCreated(patient: LRFixture.id(2), correlation: "new"),
      at: LRFixture.now.addingTimeInterval(2 * 86_400))
    let remaining = try rows("SELECT correlation_id FROM ce_pending_patient_registrations").map {
      $0.text("correlation_id")
    }
    XCTAssertEqual(remaining, ["new"])
  }

  // MARK: merges

  func testPMMergeRepointsLinksAndRepeatsAreNoOps() throws {
    let merged = LRFixture.id(1, prefix: "9a9a9a9a")
    let survivor = LRFixture.id(2, prefix: "9a9a9a9a")
    try apply(LRFixture.conversion(lead: LRFixture.id(1), correlation: "c-1", patient: merged))
    try apply(LRFixture.conversion(lead: LRFixture.id(2), correlation: "c-2", patient: merged))
    let mergeLog = LRFixture.newId()
    try apply(LRFixture.pmMerged(mergeLogId: mergeLog, survivor: survivor, merged: merged))
    XCTAssertEqual(try linkedPatient(correlation: "c-1"), survivor)
    XCTAssertEqual(try linkedPatient(correlation: "c-2"), survivor)
    let repoints = try rows("SELECT * FROM ce_link_repoints WHERE merge_key = ?", [mergeLog])
    XCTAssertEqual(repoints.count, 2)
    XCTAssertTrue(
      repoints.allSatisfy { $0.text("from_patient_id") == merged && $0.text("to_patient_id") == survivor })
    // The audit rows never change.
    XCTAssertEqual(
      try rows("SELECT DISTINCT patient_id FROM ce_lead_conversions").map { $0.text("patient_id") }, [merged])

    let before = try rows("SELECT * FROM ce_lead_patient_links ORDER BY id")
    try apply(LRFixture.pmMerged(mergeLogId: mergeLog, survivor: survivor, merged: merged))
    XCTAssertEqual(try rows("SELECT * FROM ce_lead_patient_links ORDER BY id"), before)
    XCTAssertEqual(try count("ce_link_repoints"), 2)
    XCTAssertEqual(try count("ce_patient_merge_applications"), 1)
  }

  func testRegistrationMergeThenUnmergeRestoresExactlyTheMovedLinks() throws {
    let source = LRFixture.id(1, prefix: "9a9a9a9a")
    let survivor = LRFixture.id(2, prefix: "9a9a9a9a")
    try apply(LRFixture.conversion(lead: LRFixture.id(1), correlation: "c-source", patient: source))
    try apply(LRFixture.conversion(lead: LRFixture.id(2), correlation: "c-survivor", patient: survivor))
    try apply(LRFixture.registrationMerged(survivor: survivor, source: source))
    XCTAssertEqual(try linkedPatient(correlation: "c-source"), survivor)

    // Created for the survivor after the merge: stays with the survivor.
    try apply(LRFixture.conversion(lead: LRFixture.id(3), correlation: "c-after", patient: survivor))
    // Registered for the source after the merge: follows the merge, so the unmerge restores it.
    try apply(LRFixture.conversion(lead: LRFixture.id(4), correlation: "c-late"))
    try apply(LRFixture.patientCreated(patient: source, correlation: "c-late"))
    XCTAssertEqual(try linkedPatient(correlation: "c-late"), survivor)

    try apply(LRFixture.registrationUnmerged(survivor: survivor, source: source))
    XCTAssertEqual(try linkedPatient(correlation: "c-source"), source)
    XCTAssertEqual(try linkedPatient(correlation: "c-late"), source)
    XCTAssertEqual(try linkedPatient(correlation: "c-survivor"), survivor)
    XCTAssertEqual(try linkedPatient(correlation: "c-after"), survivor)

    let before = try rows("SELECT * FROM ce_lead_patient_links ORDER BY id")
    try apply(LRFixture.registrationUnmerged(survivor: survivor, source: source))
    XCTAssertEqual(try rows("SELECT * FROM ce_lead_patient_links ORDER BY id"), before)
  }

  func testAnotherOrganizationsDataIsUntouched() throws {
    let merged = LRFixture.id(1, prefix: "9a9a9a9a")
    let survivor = LRFixture.id(2, prefix: "9a9a9a9a")
    let other = LRFixture.otherOrganization
    try apply(LRFixture.conversion(lead: LRFixture.id(1), correlation: "c-1", patient: merged))
    try apply(
      LRFixture.conversion(lead: LRFixture.id(1), correlation: "c-1", patient: merged, organization: other))
    XCTAssertEqual(try count("ce_lead_conversions"), 2, "same lead and correlation in two tenants: two rows")

    try apply(LRFixture.pmMerged(mergeLogId: LRFixture.newId(), survivor: survivor, merged: merged))
    XCTAssertEqual(try linkedPatient(correlation: "c-1"), survivor)
    XCTAssertEqual(try linkedPatient(correlation: "c-1", organization: other), merged)

    // A registration in the other tenant never links this tenant's conversion.
    try apply(LRFixture.conversion(lead: LRFixture.id(2), correlation: "c-2"))
    try apply(LRFixture.patientCreated(patient: LRFixture.id(3), correlation: "c-2", organization: other))
    XCTAssertNil(try linkedPatient(correlation: "c-2"))

    try apply(LRFixture.registrationUnmerged(survivor: survivor, source: merged, organization: other))
    XCTAssertEqual(
      try linkedPatient(correlation: "c-1"), survivor, "an unmerge in the other tenant restores nothing here")
  }

  func testUnconsumedKindIsPermanent() throws {
    let data = PatientVitalStatusChangedData(
      tenantId: LRFixture.organization, patientId: LRFixture.id(1), stablePatientId: LRFixture.id(1),
      deceased: true,
      isCorrection: false)
    let event = try DomainEventEncoder.cloudEvent(
      kind: .patientVitalStatusChanged, registrationData: data, id: LRFixture.newId(), time: LRFixture.now,
      tenantId: LRFixture.organization)
    assertPermanent(try apply(event))
  }
}
