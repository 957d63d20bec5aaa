import CloudEvents
import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import GRIncidents
import Logging
import XCTest

/// Business rules of gr-incidents (seed 004 Events 5–7 and the `restraint_incident_creation`
/// template), applied inside a write transaction of a real service database.
final class GRIncidentsHandlerTests: XCTestCase {
  private var directory: URL!
  private var database: ServiceDatabase!
  private var handler = GRIncidentsHandler()

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gr-incidents-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    handler = GRIncidentsHandler()
    database = try ServiceDatabase(path: directory.appendingPathComponent("gr.sqlite").path, handler: handler)
  }

  override func tearDownWithError() throws {
    database = nil
    try? FileManager.default.removeItem(at: directory)
  }

  // MARK: - cl_restraint_event_initiated

  func testInitiatedCreatesTheIncidentTheAuditRowAndACriticalAlertToTheSupervisor() throws {
    let eventId = GRFixture.newId()
    let notifications = try apply(GRFixture.initiated(eventId: eventId, supervisor: GRFixture.supervisor))

    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.organizationId, GRFixture.organization)
    XCTAssertEqual(incident.restraintEventId, GRFixture.restraint)
    XCTAssertEqual(incident.chartId, GRFixture.chart)
    XCTAssertEqual(incident.incidentType, "restraint_seclusion")
    XCTAssertEqual(incident.eventType, "restraint")
    XCTAssertEqual(incident.patientAgeGroup, "adult")
    XCTAssertEqual(incident.maxDurationHours, 4)
    XCTAssertEqual(incident.initiationTime, "2026-04-17T08:00:00.000Z")
    XCTAssertNil(incident.terminationTime)
    XCTAssertEqual(incident.status, "open")
    XCTAssertNil(incident.escalationReason)
    XCTAssertEqual(incident.crisisEpisodeId, GRFixture.episode)
    XCTAssertEqual(incident.supervisorId, GRFixture.supervisor)
    XCTAssertEqual(incident.sourceEventId, eventId)

    let audit = try read {
      try AuditLogEntry.fetchAll($0, entityType: "restraint_seclusion_event", entityId: GRFixture.restraint)
    }
    XCTAssertEqual(audit.count, 1)
    XCTAssertEqual(audit.first?.organizationId, GRFixture.organization)
    XCTAssertEqual(audit.first?.userId, "00000000-0000-0000-0000-000000000001")
    XCTAssertEqual(audit.first?.action, "fw.restraint_incident_automation.executed")
    XCTAssertEqual(audit.first?.timestamp, "2026-04-17T10:00:00.000Z")
    XCTAssertEqual(
      audit.first?.newValues,
      #"{"correlation_id":"corr-\#(eventId)","entity_id":"\#(GRFixture.restraint)","event_id":"\#(eventId)","#
        + #""outcome":{"created_task_ids":[],"gr_incident_id":"\#(incident.id)"},"#
        + #""template":"restraint_incident_creation"}"#)

    XCTAssertEqual(
      notifications,
      [
        OutboxNotification(
          id: "\(eventId):restraint_incident_created:\(GRFixture.supervisor)",
          organizationId: GRFixture.organization,
          recipientType: "profile", recipientId: GRFixture.supervisor, severity: "critical",
          template: "restraint_incident_created", eventId: eventId, entityId: incident.id,
          entityType: "gr_incident")
      ])
  }

  func testWithoutASupervisorTheAlertFollowsTheEscalationPath() throws {
    let eventId = GRFixture.newId()
    XCTAssertEqual(
      try apply(GRFixture.initiated(eventId: eventId, supervisor: nil)).map {
        "\($0.recipientType):\($0.recipientId)"
      },
      ["role:site_clinical_lead"], "built-in escalation role")

    handler = GRIncidentsHandler(
      configuration: try GRIncidentsConfiguration.load(
        json: Array(
          #"{"organizations": {"\#(GRFixture.organization)": {"escalation_profile_ids": ["\#(GRFixture.lead)"], "escalation_role": "clinical_supervisor"}}}"#
            .utf8)))
    let second = try apply(
      GRFixture.initiated(eventId: GRFixture.newId(), supervisor: nil, restraint: GRFixture.otherRestraint))
    XCTAssertEqual(
      second.map { "\($0.recipientType):\($0.recipientId)" },
      ["profile:\(GRFixture.lead)", "role:clinical_supervisor"])
    XCTAssertEqual(Set(second.map(\.severity)), ["critical"])
    XCTAssertEqual(Set(second.map(\.id)).count, 2, "one deterministic id per recipient")
  }

  func testInvalidInitiatedPayloadsArePermanentAndWriteNothing() throws {
    var wrongType = GRFixture.initiatedPayload(supervisor: GRFixture.supervisor)
    wrongType.entity_type = "restraint_event"
    var missingChart = GRFixture.initiatedPayload(supervisor: GRFixture.supervisor)
    missingChart.chart_id = ""
    var badTime = GRFixture.initiatedPayload(supervisor: GRFixture.supervisor)
    badTime.initiation_time = "2026-04-17 08:00"
    var badEntity = GRFixture.initiatedPayload(supervisor: GRFixture.supervisor)
    badEntity.entity_id = "restraint-1"
    var negativeLimit = GRFixture.initiatedPayload(supervisor: GRFixture.supervisor)
    negativeLimit.max_duration_hours = -1
    let cases: [(RestraintEventInitiatedPayload, String, String)] = [
      (wrongType, GRFixture.organization, "payload.entity_type"),
      (missingChart, GRFixture.organization, "payload.chart_id"),
      (badTime, GRFixture.organization, "payload.initiation_time"),
      (badEntity, GRFixture.organization, "payload.entity_id"),
      (negativeLimit, GRFixture.organization, "payload.max_duration_hours"),
      (GRFixture.initiatedPayload(supervisor: nil), "", "metadata.organization_id"),
    ]
    let handler = self.handler
    for (payload, organization, field) in cases {
      let envelope = ContractEnvelope(
        kind: .clRestraintEventInitiated, payload: payload,
        metadata: GRFixture.metadata(eventId: GRFixture.newId(), organization: organization))
      var notifications: [OutboxNotification] = []
      XCTAssertThrowsError(
        try database.pool.write { db in
          var context = GRFixture.context()
          defer { notifications = context.notifications }
          try handler.applyRestraintInitiated(envelope, db: db, context: &context)
        }, field
      ) { error in
        guard case .permanent(let message)? = error as? HandlerError else {
          return XCTFail("\(field): \(error)")
        }
        XCTAssertTrue(message.hasPrefix(field), "\(message) should name \(field)")
      }
      XCTAssertEqual(notifications, [], field)
    }
    XCTAssertEqual(try count("gr_incidents"), 0)
    XCTAssertEqual(try count("pf_audit_logs"), 0)
  }

  func testAReplayUnderANewEventIdUpdatesTheSameIncident() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor))
    let created = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    let replay = try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: nil, maxHours: 2))
    XCTAssertEqual(replay, [], "no second critical alert for the same restraint")
    let updated = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(updated.id, created.id)
    XCTAssertEqual(updated.maxDurationHours, 2)
    XCTAssertEqual(
      updated.supervisorId, GRFixture.supervisor, "an absent supervisor does not erase the known one")
    XCTAssertEqual(try count("gr_incidents"), 1)
    XCTAssertEqual(try count("pf_audit_logs"), 2, "every automation execution is audited")
  }

  func testAReplayAfterTerminationDoesNotReopen() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor))
    try apply(GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T09:00:00Z"))
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor))
    XCTAssertEqual(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) }?.status, "closed"
    )
  }

  func testARestraintIdOfAnotherOrganizationIsPermanent() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: nil))
    XCTAssertThrowsError(
      try apply(
        GRFixture.initiated(
          eventId: GRFixture.newId(), supervisor: nil, organization: GRFixture.otherOrganization))
    ) { error in
      guard case .permanent? = error as? HandlerError else { return XCTFail("\(error)") }
    }
  }

  // MARK: - PHI

  func testUnexpectedStringFieldsAreHashedAndNeverStoredRaw() async throws {
    let eventId = GRFixture.newId()
    let cloudEvent = try GRFixture.initiatedWithUnexpectedFields(eventId: eventId)
    let inbound = try GRFixture.inbound(cloudEvent)

    let sanitized = handler.auditEnvelope(for: inbound)
    let sanitizedText = String(decoding: try XCTUnwrap(sanitized.data), as: UTF8.self)
    XCTAssertFalse(sanitizedText.contains("Jane Doe"))
    XCTAssertFalse(sanitizedText.contains("555-0100"))
    XCTAssertTrue(sanitizedText.contains(LedgerPayloadSanitizer.hashed("Jane Doe")))
    XCTAssertTrue(sanitizedText.contains(GRFixture.restraint), "documented fields are kept")
    XCTAssertEqual(sanitized.extensions["patientname"], .string(LedgerPayloadSanitizer.hashed("Jane Doe")))
    XCTAssertEqual(sanitized.extensions["correlationid"], cloudEvent.extensions["correlationid"])

    let processor = EventProcessor(
      handler: handler, database: database, tenants: [GRFixture.organization],
      deadLetters: AcceptingDeadLetters(),
      logger: Logger(label: "gr-incidents-tests"), clock: { GRFixture.now }, progressInterval: nil)
    let outcome = await processor.process(try GRFixture.workMessage(cloudEvent, sequence: 1))
    XCTAssertEqual(outcome, .processed)

    let ledger = try XCTUnwrap(try read { try Ledger.row($0, source: "gr-incidents", dedupeKey: eventId) })
    let stored = try XCTUnwrap(ledger.eventPayload)
    XCTAssertFalse(stored.contains("Jane Doe"))
    XCTAssertFalse(stored.contains("555-0100"))
    XCTAssertTrue(stored.contains(LedgerPayloadSanitizer.hashed("Jane Doe")))
    for table in ["gr_incidents", "pf_audit_logs", "pf_notifications", "fw_domain_events"] {
      let rows = try read { try Row.fetchAll($0, sql: "SELECT * FROM \(table)") }
      XCTAssertFalse(rows.isEmpty, table)
      for row in rows {
        XCTAssertFalse(row.description.contains("Jane Doe"), table)
        XCTAssertFalse(row.description.contains("555-0100"), table)
      }
    }
  }

  // MARK: - cl_restraint_event_terminated

  func testTerminationWithinTheLimitClosesTheIncident() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor))
    let eventId = GRFixture.newId()
    let notifications = try apply(GRFixture.terminated(eventId: eventId, termination: "2026-04-17T09:30:00Z"))
    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.status, "closed")
    XCTAssertNil(incident.escalationReason)
    XCTAssertEqual(incident.terminationTime, "2026-04-17T09:30:00.000Z")
    XCTAssertEqual(incident.actualDurationMinutes, 90)
    XCTAssertEqual(incident.faceToFaceRequired, false)
    XCTAssertEqual(incident.terminationEventId, eventId)
    XCTAssertEqual(notifications, [])
    let audit = try read {
      try AuditLogEntry.fetchAll($0, entityType: "restraint_seclusion_event", entityId: GRFixture.restraint)
    }
    XCTAssertEqual(
      audit.map(\.action), ["fw.restraint_incident_automation.executed", "gr.restraint_incident.closed"])
    XCTAssertTrue(audit.last?.newValues.contains(#""status":"closed""#) ?? false)
    XCTAssertEqual(audit.last?.userId, SystemActor.profileID)
  }

  func testDurationExceededFlagEscalates() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor))
    let eventId = GRFixture.newId()
    let notifications = try apply(
      GRFixture.terminated(eventId: eventId, termination: "2026-04-17T09:00:00Z", durationExceeded: true))
    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.status, "escalated")
    XCTAssertEqual(incident.escalationReason, "duration_exceeded")
    XCTAssertEqual(
      notifications,
      [
        OutboxNotification(
          id: "\(eventId):restraint_incident_escalated:\(GRFixture.supervisor)",
          organizationId: GRFixture.organization,
          recipientType: "profile", recipientId: GRFixture.supervisor, severity: "critical",
          template: "restraint_incident_escalated", eventId: eventId, entityId: incident.id,
          entityType: "gr_incident")
      ])
    let audit = try read {
      try AuditLogEntry.fetchAll($0, entityType: "restraint_seclusion_event", entityId: GRFixture.restraint)
    }
    XCTAssertEqual(audit.last?.action, "gr.restraint_incident.escalated")
    XCTAssertTrue(audit.last?.newValues.contains(#""escalation_reason":"duration_exceeded""#) ?? false)
  }

  func testFaceToFaceStillRequiredEscalates() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: nil))
    let notifications = try apply(
      GRFixture.terminated(
        eventId: GRFixture.newId(), termination: "2026-04-17T09:00:00Z", faceToFace: true,
        deadline: "2026-04-17T10:00:00+01:00"))
    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.status, "escalated")
    XCTAssertEqual(incident.escalationReason, "face_to_face_required")
    XCTAssertEqual(incident.faceToFaceRequired, true)
    XCTAssertEqual(incident.faceToFaceDeadline, "2026-04-17T09:00:00.000Z")
    XCTAssertEqual(notifications.map(\.recipientId), ["site_clinical_lead"])
    XCTAssertEqual(notifications.map(\.template), ["restraint_incident_escalated"])
  }

  func testAComputedOverrunEscalatesWithoutTheFlag() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor, maxHours: 4))
    try apply(GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T12:00:01Z"))
    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.status, "escalated")
    XCTAssertEqual(incident.escalationReason, "duration_exceeded")
    XCTAssertEqual(incident.actualDurationMinutes, 240)
  }

  func testBothReasonsAreRecorded() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor, maxHours: 1))
    try apply(
      GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T09:30:00Z", faceToFace: true))
    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.escalationReason, "duration_exceeded,face_to_face_required")
  }

  func testAnEscalatedIncidentIsNotDowngradedByALaterTermination() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: GRFixture.supervisor))
    try apply(
      GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T09:00:00Z", faceToFace: true))
    let later = try apply(
      GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T09:00:00Z"))
    let incident = try XCTUnwrap(
      try read { try RestraintIncident.fetchOne($0, restraintEventId: GRFixture.restraint) })
    XCTAssertEqual(incident.status, "escalated")
    XCTAssertEqual(incident.escalationReason, "face_to_face_required")
    XCTAssertEqual(later, [], "no new alert when nothing changed")
  }

  func testTerminationOfAnUnknownRestraintIsTransient() throws {
    XCTAssertThrowsError(
      try apply(GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T09:00:00Z"))
    ) { error in
      XCTAssertEqual(
        error as? HandlerError, .transient("restraint incident \(GRFixture.restraint) not found"))
    }
    XCTAssertEqual(try count("pf_audit_logs"), 0)
  }

  func testTerminationBeforeInitiationIsPermanent() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: nil))
    XCTAssertThrowsError(
      try apply(
        GRFixture.terminated(eventId: GRFixture.newId(), termination: "2026-04-17T07:00:00Z"))
    ) { error in
      guard case .permanent(let message)? = error as? HandlerError else { return XCTFail("\(error)") }
      XCTAssertTrue(message.contains("termination_time"))
    }
  }

  func testTheAuditTrailIsAppendOnly() throws {
    try apply(GRFixture.initiated(eventId: GRFixture.newId(), supervisor: nil))
    XCTAssertThrowsError(
      try database.pool.write { try $0.execute(sql: "UPDATE pf_audit_logs SET action = 'x'") })
    XCTAssertThrowsError(try database.pool.write { try $0.execute(sql: "DELETE FROM pf_audit_logs") })
    XCTAssertEqual(try count("pf_audit_logs"), 1)
  }

  // MARK: - cl_crisis_episode_opened

  func testHighRiskCrisisCreatesAwarenessAndAlertsTheSupervisor() throws {
    let eventId = GRFixture.newId()
    let notifications = try apply(
      GRFixture.crisisOpened(eventId: eventId, risk: "high", supervisor: GRFixture.supervisor))
    let awareness = try XCTUnwrap(
      try read { try IncidentAwareness.fetchOne($0, crisisEpisodeId: GRFixture.episode) })
    XCTAssertEqual(awareness.organizationId, GRFixture.organization)
    XCTAssertEqual(awareness.chartId, GRFixture.chart)
    XCTAssertEqual(awareness.crisisType, "mobile")
    XCTAssertEqual(awareness.riskLevel, "high")
    XCTAssertEqual(awareness.supervisorId, GRFixture.supervisor)
    XCTAssertEqual(awareness.sourceEventId, eventId)
    XCTAssertEqual(
      notifications,
      [
        OutboxNotification(
          id: "\(eventId):crisis_incident_awareness:\(GRFixture.supervisor)",
          organizationId: GRFixture.organization,
          recipientType: "profile", recipientId: GRFixture.supervisor, severity: "critical",
          template: "crisis_incident_awareness", eventId: eventId, entityId: GRFixture.episode,
          entityType: "crisis_episode")
      ])

    let again = try apply(
      GRFixture.crisisOpened(eventId: GRFixture.newId(), risk: "high", supervisor: GRFixture.supervisor))
    XCTAssertEqual(again, [])
    XCTAssertEqual(try count("gr_incident_awareness"), 1)
  }

  func testImminentRiskWithoutSupervisorUsesTheEscalationPath() throws {
    let notifications = try apply(
      GRFixture.crisisOpened(eventId: GRFixture.newId(), risk: "Imminent", supervisor: nil))
    XCTAssertEqual(
      try read { try IncidentAwareness.fetchOne($0, crisisEpisodeId: GRFixture.episode) }?.riskLevel,
      "imminent")
    XCTAssertEqual(notifications.map(\.recipientId), ["site_clinical_lead"])
  }

  func testLowRiskCrisisHasNoEffect() throws {
    let notifications = try apply(
      GRFixture.crisisOpened(eventId: GRFixture.newId(), risk: "low", supervisor: GRFixture.supervisor))
    XCTAssertEqual(notifications, [])
    XCTAssertEqual(try count("gr_incident_awareness"), 0)
    XCTAssertEqual(try count("pf_audit_logs"), 0)
  }

  // MARK: - Helpers

  @discardableResult
  private func apply(_ event: InboundEvent) throws -> [OutboxNotification] {
    let handler = self.handler
    return try database.pool.write { db in
      var context = GRFixture.context()
      try handler.handle(event, db: db, context: &context)
      return context.notifications
    }
  }

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    try database.pool.read(body)
  }

  private func count(_ table: String) throws -> Int {
    try read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
  }
}

/// Seed 004 events for the gr-incidents tests.
private enum GRFixture {
  /// `event` as gr-incidents's work stream delivers it.
  static func workMessage(_ event: CloudEvent, sequence: UInt64, delivery: Int = 1) throws
    -> BinaryWorkMessage
  {
    try BinaryWorkMessage(
      event, stream: "WQ_GR_INCIDENTS", consumer: "gr-incidents", sequence: sequence, delivery: delivery)
  }

  static let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"
  static let otherOrganization = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
  static let restraint = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"
  static let otherRestraint = "6a5b4c3d-2e1f-4a0b-9c8d-000000000002"
  static let chart = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
  static let patient = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
  static let episode = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"
  static let supervisor = "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0"
  static let lead = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
  static let clinician = "1f2e3d4c-5b6a-4798-a6b5-c4d3e2f1a0b9"
  static let site = "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b"
  static let now = Date(timeIntervalSince1970: 1_776_420_000)  // 2026-04-17T10:00:00Z

  static func newId() -> String { UUID().uuidString.lowercased() }

  static func context() -> HandlerContext {
    HandlerContext(now: now, logger: Logger(label: "gr-incidents-tests"))
  }

  static func metadata(eventId: String, organization: String = organization) -> EventMetadata {
    EventMetadata(
      organization_id: organization, site_id: site, user_id: clinician, timestamp: "2026-04-17T08:00:00Z",
      correlation_id: "corr-\(eventId)", event_id: eventId)
  }

  static func inbound(_ event: CloudEvent) throws -> InboundEvent {
    let decoded = try DomainEventDecoder.decode(event)
    return InboundEvent(decoded: decoded, subject: decoded.kind.subject, streamSequence: 1, deliveryCount: 1)
  }

  static func initiatedPayload(
    supervisor: String?, restraint: String = restraint, maxHours: Double = 4
  ) -> RestraintEventInitiatedPayload {
    RestraintEventInitiatedPayload(
      entity_id: restraint, chart_id: chart, event_type: "restraint", patient_age_group: "adult",
      max_duration_hours: maxHours, initiation_time: "2026-04-17T08:00:00Z",
      action_required: "Restraint initiated — verify monitoring and face-to-face compliance",
      crisis_episode_id: episode, supervisor_id: supervisor)
  }

  static func initiatedCloudEvent(
    eventId: String, supervisor: String?, restraint: String = restraint, maxHours: Double = 4,
    organization: String = organization
  ) throws -> CloudEvent {
    try DomainEventEncoder.cloudEvent(
      kind: .clRestraintEventInitiated,
      envelope: ContractEnvelope(
        kind: .clRestraintEventInitiated,
        payload: initiatedPayload(supervisor: supervisor, restraint: restraint, maxHours: maxHours),
        metadata: metadata(eventId: eventId, organization: organization)))
  }

  static func initiated(
    eventId: String, supervisor: String?, restraint: String = restraint, maxHours: Double = 4,
    organization: String = organization
  ) throws -> InboundEvent {
    try inbound(
      initiatedCloudEvent(
        eventId: eventId, supervisor: supervisor, restraint: restraint, maxHours: maxHours,
        organization: organization))
  }

  /// An initiated event whose data carries undocumented free text (in the payload, the metadata,
  /// the envelope and a nested object) and an undocumented extension attribute.
  static func initiatedWithUnexpectedFields(eventId: String) throws -> CloudEvent {
    var event = try initiatedCloudEvent(eventId: eventId, supervisor: supervisor)
    guard var data = try JSONSerialization.jsonObject(with: Data(event.data ?? [])) as? [String: Any],
      var payload = data["payload"] as? [String: Any], var metadata = data["metadata"] as? [String: Any]
    else { throw CocoaError(.coderReadCorrupt) }
    payload["patient_name"] = "Jane Doe"
    payload["contact"] = ["phone": "555-0100", "age": 34] as [String: Any]
    metadata["note"] = "Jane Doe called 555-0100"
    data["payload"] = payload
    data["metadata"] = metadata
    data["comment"] = "Jane Doe"
    event.data = Array(try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys]))
    event.extensions["patientname"] = .string("Jane Doe")
    return event
  }

  static func terminated(
    eventId: String, termination: String, initiation: String = "2026-04-17T08:00:00Z",
    faceToFace: Bool = false,
    deadline: String? = nil, durationExceeded: Bool? = nil
  ) throws -> InboundEvent {
    let payload = RestraintEventTerminatedPayload(
      restraint_id: restraint, patient_id: patient, initiation_time: initiation,
      termination_time: termination,
      termination_reason: "criteria met", face_to_face_required_flag: faceToFace,
      scheduled_face_to_face_deadline: deadline, duration_exceeded: durationExceeded)
    return try inbound(
      DomainEventEncoder.cloudEvent(
        kind: .clRestraintEventTerminated,
        envelope: ContractEnvelope(
          kind: .clRestraintEventTerminated, payload: payload, metadata: metadata(eventId: eventId))))
  }

  static func crisisOpened(eventId: String, risk: String, supervisor: String?) throws -> InboundEvent {
    let payload = CrisisEpisodeOpenedPayload(
      entity_id: episode, chart_id: chart, crisis_type: "mobile", risk_level: risk,
      assigned_clinician_id: clinician,
      supervisor_id: supervisor)
    return try inbound(
      DomainEventEncoder.cloudEvent(
        kind: .clCrisisEpisodeOpened,
        envelope: ContractEnvelope(
          kind: .clCrisisEpisodeOpened, payload: payload, metadata: metadata(eventId: eventId))))
  }
}
