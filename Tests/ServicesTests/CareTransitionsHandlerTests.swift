import CareTransitions
import CloudEvents
import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging
import XCTest

/// Valid seed events for the care-transitions tests, built with `DomainEventEncoder` and decoded
/// with `DomainEventDecoder` like the runtime does.
private enum CTFixture {
  static let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"
  static let otherOrganization = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
  static let user = "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0"
  static let referringProvider = "3a3a3a3a-0000-4000-8000-000000000001"
  static let acceptingProvider = "3a3a3a3a-0000-4000-8000-000000000002"
  static let now = Date(timeIntervalSince1970: 1_776_420_000)

  /// A UUID with a recognizable tail, e.g. `id(0xc1)` for coordinator 1.
  static func id(_ n: Int, prefix: String = "0c0c0c0c") -> String {
    String(format: "\(prefix)-0000-4000-8000-%012x", n)
  }

  static func newId() -> String { UUID().uuidString.lowercased() }

  static func decode(_ event: CloudEvent) throws -> InboundEvent {
    let decoded = try DomainEventDecoder.decode(event)
    return InboundEvent(decoded: decoded, subject: decoded.kind.subject, streamSequence: 1, deliveryCount: 1)
  }

  static func metadata(_ eventId: String, organization: String) -> EventMetadata {
    EventMetadata(
      organization_id: organization, user_id: user, timestamp: "2026-04-17T10:00:00Z",
      correlation_id: "corr-\(eventId)", event_id: eventId)
  }

  static func referral(
    referralId: String = newId(), patientId: String, chartId: String? = nil,
    serviceType: String = "behavioral_health",
    priority: String = "routine", organization: String = organization, eventId: String = newId()
  ) throws -> CloudEvent {
    let payload = ReferralAcceptedPayload(
      entity_id: referralId, patient_id: patientId, chart_id: chartId,
      referring_provider_id: referringProvider,
      accepting_provider_id: acceptingProvider, referral_type: "inbound", service_type: serviceType,
      priority: priority, authorization_number: "AUTH-1")
    return try DomainEventEncoder.cloudEvent(
      kind: .pmReferralAccepted,
      envelope: ContractEnvelope(
        kind: .pmReferralAccepted, payload: payload, metadata: metadata(eventId, organization: organization)))
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
        kind: .pmPatientMerged, payload: payload, metadata: metadata(eventId, organization: organization)))
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

  static func vitalStatus(
    patient: String, deceased: Bool, correction: Bool, organization: String = organization
  )
    throws -> CloudEvent
  {
    let data = PatientVitalStatusChangedData(
      tenantId: organization, patientId: patient, stablePatientId: patient, deceased: deceased,
      deceasedDateTime: deceased ? "2026-04-10T14:00:00.000Z" : nil, isCorrection: correction)
    return try DomainEventEncoder.cloudEvent(
      kind: .patientVitalStatusChanged, registrationData: data, id: newId(), time: now, tenantId: organization
    )
  }

  static func costAllocated(
    allocationId: String, total: Int, patients: Int, organization: String = organization,
    eventId: String = newId()
  ) throws -> CloudEvent {
    let payload = ProgramCostAllocatedPayload(
      entity_id: allocationId, program_id: id(0x77), program_name: "IOP", period_start: "2026-03-01",
      period_end: "2026-03-31", total_cost: total, cost_per_patient_day: 412.5, patient_count: patients,
      allocation_method: "step_down")
    return try DomainEventEncoder.cloudEvent(
      kind: .faProgramCostAllocated,
      envelope: ContractEnvelope(
        kind: .faProgramCostAllocated, payload: payload,
        metadata: metadata(eventId, organization: organization)))
  }
}

extension Row {
  /// The column as optional text (NULL or missing → nil), never trapping.
  fileprivate func text(_ column: String) -> String? { self[column] }
  /// The column as an optional integer.
  fileprivate func int(_ column: String) -> Int? { self[column] }
  /// The column as an optional double.
  fileprivate func double(_ column: String) -> Double? { self[column] }
}

final class CareTransitionsHandlerTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("ct-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDown() {
    if let directory { try? FileManager.default.removeItem(at: directory) }
  }

  // MARK: helpers

  private let coordinatorA = CTFixture.id(0xa1)
  private let coordinatorB = CTFixture.id(0xb2)
  private let coordinatorC = CTFixture.id(0xc3)

  private func makeHandler(_ rules: CoordinatorAssignmentRules?) -> CareTransitionsHandler {
    var organizations: [String: CoordinatorAssignmentRules] = [:]
    if let rules { organizations[CTFixture.organization] = rules }
    return CareTransitionsHandler(configuration: CareTransitionsConfiguration(organizations: organizations))
  }

  private func open(_ handler: CareTransitionsHandler) throws -> ServiceDatabase {
    try ServiceDatabase(path: directory.appendingPathComponent("ct.sqlite").path, handler: handler)
  }

  @discardableResult
  private func apply(_ event: CloudEvent, _ handler: CareTransitionsHandler, _ database: ServiceDatabase)
    throws
    -> [OutboxNotification]
  {
    let inbound = try CTFixture.decode(event)
    return try database.pool.write { db in
      var context = HandlerContext(
        now: CTFixture.now, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
      try handler.handle(inbound, db: db, context: &context)
      return context.notifications
    }
  }

  private func transition(referral: String, _ database: ServiceDatabase) throws -> Row? {
    try database.pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM cl_care_transitions WHERE referral_id = ?", arguments: [referral])
    }
  }

  private func patientOf(referral: String, _ database: ServiceDatabase) throws -> String? {
    try transition(referral: referral, database)?.text("patient_id")
  }

  private func count(_ sql: String, _ database: ServiceDatabase, _ arguments: StatementArguments = []) throws
    -> Int
  {
    try database.pool.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? -1 }
  }

  // MARK: referral → transition

  func testReferralCreatesTransitionAndFewestActiveCoordinatorWinsTiesByLowestId() throws {
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorB, serviceTypes: ["behavioral_health"]),
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"]),
    ])
    let handler = makeHandler(rules)
    let database = try open(handler)
    let patient = CTFixture.id(1, prefix: "9a9a9a9a")
    let chart = CTFixture.id(1, prefix: "8b8b8b8b")
    let referrals = (0..<3).map { CTFixture.id($0 + 1, prefix: "7e7e7e7e") }
    let eventId = CTFixture.newId()

    try apply(
      CTFixture.referral(referralId: referrals[0], patientId: patient, chartId: chart, eventId: eventId),
      handler,
      database)
    try apply(
      CTFixture.referral(referralId: referrals[1], patientId: patient, chartId: chart), handler, database)
    try apply(
      CTFixture.referral(referralId: referrals[2], patientId: patient, chartId: chart), handler, database)

    let first = try XCTUnwrap(try transition(referral: referrals[0], database))
    XCTAssertEqual(first.text("care_coordinator_id"), coordinatorA, "tie 0/0 → lowest id")
    XCTAssertEqual(first.text("status"), "active")
    XCTAssertEqual(first.text("assignment_reason"), "fewest_active")
    XCTAssertEqual(first.text("assignment_pool"), "service_type")
    XCTAssertEqual(first.text("organization_id"), CTFixture.organization)
    XCTAssertEqual(first.text("patient_id"), patient)
    XCTAssertEqual(first.text("original_patient_id"), patient)
    XCTAssertEqual(first.text("chart_id"), chart)
    XCTAssertEqual(first.int("needs_chart_creation"), 0)
    XCTAssertEqual(first.text("referring_provider_id"), CTFixture.referringProvider)
    XCTAssertEqual(first.text("accepting_provider_id"), CTFixture.acceptingProvider)
    XCTAssertEqual(first.text("referral_type"), "inbound")
    XCTAssertEqual(first.text("service_type"), "behavioral_health")
    XCTAssertEqual(first.text("priority"), "routine")
    XCTAssertEqual(first.text("authorization_number"), "AUTH-1")
    XCTAssertEqual(first.text("source_event_id"), eventId)
    let id: String = try XCTUnwrap(first.text("id"))
    XCTAssertNotNil(UUID(uuidString: id))
    XCTAssertEqual(
      try transition(referral: referrals[1], database)?.text("care_coordinator_id"), coordinatorB)
    XCTAssertEqual(
      try transition(referral: referrals[2], database)?.text("care_coordinator_id"), coordinatorA,
      "tie 1/1 → lowest id")
  }

  func testClosedTransitionsDoNotCountAsActiveLoad() throws {
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"]),
      CareCoordinator(id: coordinatorB, serviceTypes: ["behavioral_health"]),
    ])
    let handler = makeHandler(rules)
    let database = try open(handler)
    let deceased = CTFixture.id(1, prefix: "9a9a9a9a")
    let living = CTFixture.id(2, prefix: "9a9a9a9a")
    try apply(CTFixture.referral(patientId: deceased), handler, database)  // → A (tie 0/0)
    try apply(CTFixture.referral(patientId: living), handler, database)  // → B
    try apply(CTFixture.referral(patientId: deceased), handler, database)  // → A (tie 1/1)
    try apply(CTFixture.vitalStatus(patient: deceased, deceased: true, correction: false), handler, database)
    // A: 0 active (2 closed), B: 1 active. Counting closed ones would pick B.
    let next = CTFixture.newId()
    try apply(CTFixture.referral(referralId: next, patientId: living), handler, database)
    XCTAssertEqual(try transition(referral: next, database)?.text("care_coordinator_id"), coordinatorA)
  }

  func testServiceTypeRoutingAndDefaultPool() throws {
    let rules = CoordinatorAssignmentRules(
      coordinators: [
        CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"]),
        CareCoordinator(id: coordinatorB, serviceTypes: ["substance_use"]),
      ],
      defaultCoordinatorIds: [coordinatorC])
    let handler = makeHandler(rules)
    let database = try open(handler)
    let patient = CTFixture.id(1, prefix: "9a9a9a9a")
    let substance = [CTFixture.newId(), CTFixture.newId()]
    for referral in substance {
      try apply(
        CTFixture.referral(referralId: referral, patientId: patient, serviceType: "substance_use"), handler,
        database)
    }
    let psychiatric = CTFixture.newId()
    try apply(
      CTFixture.referral(referralId: psychiatric, patientId: patient, serviceType: "psychiatric"), handler,
      database)

    for referral in substance {
      XCTAssertEqual(
        try transition(referral: referral, database)?.text("care_coordinator_id"), coordinatorB,
        "only B covers substance_use, even with more load than A")
    }
    let row = try XCTUnwrap(try transition(referral: psychiatric, database))
    XCTAssertEqual(row.text("care_coordinator_id"), coordinatorC)
    XCTAssertEqual(row.text("assignment_pool"), "default")
  }

  func testUrgentExceedsMaxActiveWhileRoutineAwaitsCoordinator() throws {
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"], maxActive: 1),
      CareCoordinator(id: coordinatorB, serviceTypes: ["behavioral_health"], maxActive: 1),
    ])
    let handler = makeHandler(rules)
    let database = try open(handler)
    let patient = CTFixture.id(1, prefix: "9a9a9a9a")
    try apply(CTFixture.referral(patientId: patient), handler, database)  // A
    try apply(CTFixture.referral(patientId: patient), handler, database)  // B: both now full

    let routine = CTFixture.newId()
    let routineEvent = CTFixture.newId()
    let routineNotes = try apply(
      CTFixture.referral(referralId: routine, patientId: patient, eventId: routineEvent), handler, database)
    let waiting = try XCTUnwrap(try transition(referral: routine, database))
    XCTAssertEqual(waiting.text("status"), "awaiting_coordinator")
    XCTAssertNil(waiting.text("care_coordinator_id"))
    XCTAssertEqual(waiting.text("assignment_reason"), "all_at_capacity")
    let lead = try XCTUnwrap(routineNotes.first { $0.template == "care_transition_awaiting_coordinator" })
    XCTAssertEqual(lead.recipientType, "role")
    XCTAssertEqual(lead.recipientId, "care_coordination_lead")
    XCTAssertEqual(lead.id, "\(routineEvent):care_transition_awaiting_coordinator:care_coordination_lead")
    XCTAssertFalse(routineNotes.contains { $0.template == "care_transition_assigned" })

    let urgent = CTFixture.newId()
    let urgentNotes = try apply(
      CTFixture.referral(referralId: urgent, patientId: patient, priority: "emergent"), handler, database)
    let assigned = try XCTUnwrap(try transition(referral: urgent, database))
    XCTAssertEqual(assigned.text("status"), "active")
    XCTAssertEqual(
      assigned.text("care_coordinator_id"), coordinatorA, "all full: least loaded, tie → lowest id")
    XCTAssertEqual(assigned.text("assignment_reason"), "urgent_over_capacity")
    XCTAssertEqual(urgentNotes.first { $0.template == "care_transition_assigned" }?.recipientId, coordinatorA)
    XCTAssertEqual(
      try count(
        "SELECT COUNT(*) FROM cl_care_transitions WHERE care_coordinator_id = ? AND status = 'active'",
        database,
        [coordinatorA]), 2, "A now exceeds max_active 1")
  }

  func testUrgentSkipsFullCandidateWhenAnotherIsBelowMaxActive() throws {
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"], maxActive: 1),
      CareCoordinator(id: coordinatorB, serviceTypes: ["behavioral_health"], maxActive: 5),
    ])
    let handler = makeHandler(rules)
    let database = try open(handler)
    let patient = CTFixture.id(1, prefix: "9a9a9a9a")
    try apply(CTFixture.referral(patientId: patient), handler, database)  // A (1/1, full)
    try apply(CTFixture.referral(patientId: patient), handler, database)  // B (1/5)
    try apply(CTFixture.referral(patientId: patient), handler, database)  // B (2/5)
    let urgent = CTFixture.newId()
    try apply(
      CTFixture.referral(referralId: urgent, patientId: patient, priority: "urgent"), handler, database)
    let row = try XCTUnwrap(try transition(referral: urgent, database))
    XCTAssertEqual(
      row.text("care_coordinator_id"), coordinatorB, "A has fewer active but is full; B is below its max")
    XCTAssertEqual(row.text("assignment_reason"), "fewest_active")
  }

  func testUnconfiguredOrganizationAwaitsCoordinator() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let referral = CTFixture.newId()
    let notes = try apply(
      CTFixture.referral(referralId: referral, patientId: CTFixture.id(1), priority: "urgent"), handler,
      database)
    let row = try XCTUnwrap(try transition(referral: referral, database))
    XCTAssertEqual(row.text("status"), "awaiting_coordinator")
    XCTAssertEqual(row.text("assignment_reason"), "no_candidates")
    XCTAssertEqual(row.text("assignment_pool"), "none")
    XCTAssertEqual(notes.first { $0.template == "care_transition_awaiting_coordinator" }?.severity, "high")
  }

  // MARK: chart check and notifications

  func testMissingChartIsFlaggedNotifiedAndResolvedWhenAChartBecomesKnown() throws {
    let handler = makeHandler(
      CoordinatorAssignmentRules(coordinators: [
        CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"])
      ]))
    let database = try open(handler)
    let patient = CTFixture.id(1, prefix: "9a9a9a9a")
    let chart = CTFixture.id(1, prefix: "8b8b8b8b")
    let first = CTFixture.newId()
    let firstEvent = CTFixture.newId()
    let notes = try apply(
      CTFixture.referral(referralId: first, patientId: patient, eventId: firstEvent), handler, database)

    var row = try XCTUnwrap(try transition(referral: first, database))
    XCTAssertEqual(row.int("needs_chart_creation"), 1)
    XCTAssertNil(row.text("chart_id"))
    let chartNote = try XCTUnwrap(notes.first { $0.template == "chart_creation_required" })
    XCTAssertEqual(chartNote.recipientType, "role")
    XCTAssertEqual(chartNote.recipientId, "health_information")
    XCTAssertEqual(chartNote.id, "\(firstEvent):chart_creation_required:health_information")
    XCTAssertEqual(chartNote.entityId, row.text("id"))
    XCTAssertEqual(chartNote.entityType, "care_transition")

    // A later event carrying the chart teaches patient → chart and clears the flag.
    let second = CTFixture.newId()
    let secondNotes = try apply(
      CTFixture.referral(referralId: second, patientId: patient, chartId: chart), handler, database)
    XCTAssertFalse(secondNotes.contains { $0.template == "chart_creation_required" })
    row = try XCTUnwrap(try transition(referral: first, database))
    XCTAssertEqual(row.int("needs_chart_creation"), 0)
    XCTAssertEqual(row.text("chart_id"), chart)

    // A referral without chart_id now uses the known chart.
    let third = CTFixture.newId()
    let thirdNotes = try apply(CTFixture.referral(referralId: third, patientId: patient), handler, database)
    XCTAssertEqual(try transition(referral: third, database)?.text("chart_id"), chart)
    XCTAssertEqual(try transition(referral: third, database)?.int("needs_chart_creation"), 0)
    XCTAssertFalse(thirdNotes.contains { $0.template == "chart_creation_required" })
  }

  func testConfiguredChartCreationRoleIsNotified() throws {
    let handler = CareTransitionsHandler(
      configuration: CareTransitionsConfiguration(chartCreationRole: "him_team"))
    let database = try open(handler)
    let notes = try apply(CTFixture.referral(patientId: CTFixture.id(1)), handler, database)
    XCTAssertEqual(notes.first { $0.template == "chart_creation_required" }?.recipientId, "him_team")
  }

  func testNotificationsGoToAcceptingProviderAndCoordinatorWithDeterministicIds() throws {
    let handler = makeHandler(
      CoordinatorAssignmentRules(coordinators: [
        CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"])
      ]))
    let database = try open(handler)
    let routineEvent = CTFixture.newId()
    let routine = CTFixture.newId()
    let notes = try apply(
      CTFixture.referral(
        referralId: routine, patientId: CTFixture.id(1), chartId: CTFixture.id(2), eventId: routineEvent),
      handler, database)
    let transitionId: String? = try transition(referral: routine, database)?.text("id")
    XCTAssertEqual(notes.count, 2)

    let provider = try XCTUnwrap(notes.first { $0.template == "referral_accepted_transition" })
    XCTAssertEqual(provider.id, "\(routineEvent):referral_accepted_transition:\(CTFixture.acceptingProvider)")
    XCTAssertEqual(provider.recipientType, "profile")
    XCTAssertEqual(provider.recipientId, CTFixture.acceptingProvider)
    XCTAssertEqual(provider.severity, "info")
    XCTAssertEqual(provider.organizationId, CTFixture.organization)
    XCTAssertEqual(provider.eventId, routineEvent)
    XCTAssertEqual(provider.entityId, transitionId)

    let coordinator = try XCTUnwrap(notes.first { $0.template == "care_transition_assigned" })
    XCTAssertEqual(coordinator.id, "\(routineEvent):care_transition_assigned:\(coordinatorA)")
    XCTAssertEqual(coordinator.recipientType, "profile")
    XCTAssertEqual(coordinator.recipientId, coordinatorA)

    let urgentNotes = try apply(
      CTFixture.referral(patientId: CTFixture.id(1), chartId: CTFixture.id(2), priority: "urgent"), handler,
      database)
    XCTAssertEqual(urgentNotes.first { $0.template == "referral_accepted_transition" }?.severity, "high")
    XCTAssertEqual(urgentNotes.first { $0.template == "care_transition_assigned" }?.severity, "high")
  }

  func testSecondEventForTheSameReferralIsANoOpAndAnotherOrganizationIsRejected() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let referral = CTFixture.newId()
    try apply(CTFixture.referral(referralId: referral, patientId: CTFixture.id(1)), handler, database)
    let notes = try apply(
      CTFixture.referral(referralId: referral, patientId: CTFixture.id(1)), handler, database)
    XCTAssertTrue(notes.isEmpty)
    XCTAssertEqual(try count("SELECT COUNT(*) FROM cl_care_transitions", database), 1)

    XCTAssertThrowsError(
      try apply(
        CTFixture.referral(
          referralId: referral, patientId: CTFixture.id(1), organization: CTFixture.otherOrganization),
        handler,
        database)
    ) { error in
      guard case .permanent = error as? HandlerError else {
        return XCTFail("expected permanent, got \(error)")
      }
    }
  }

  func testAnEventKindNotConsumedIsPermanent() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let created = PatientCreatedData(
      patientId: CTFixture.id(1), stablePatientId: CTFixture.id(1), mrn: "PAT-1",
      tenantId: CTFixture.organization,
      isUnidentified: false, isProvisional: false, isNewborn: false)
    let event = try DomainEventEncoder.cloudEvent(
      kind: .patientCreated, registrationData: created, id: CTFixture.newId(), time: CTFixture.now,
      tenantId: CTFixture.organization)
    XCTAssertFalse(handler.consumes.contains(.patientCreated))
    XCTAssertThrowsError(try apply(event, handler, database)) { error in
      guard case .permanent = error as? HandlerError else {
        return XCTFail("expected permanent, got \(error)")
      }
    }
  }

  // MARK: merges

  func testPMMergeRepointsAndIsIdempotentByMergeLogId() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let merged = CTFixture.id(1, prefix: "9a9a9a9a")
    let survivor = CTFixture.id(2, prefix: "9a9a9a9a")
    let movedReferrals = [CTFixture.newId(), CTFixture.newId()]
    for referral in movedReferrals {
      try apply(CTFixture.referral(referralId: referral, patientId: merged), handler, database)
    }
    let otherTenant = CTFixture.newId()
    try apply(
      CTFixture.referral(
        referralId: otherTenant, patientId: merged, organization: CTFixture.otherOrganization),
      handler, database)

    let mergeLog = CTFixture.newId()
    try apply(CTFixture.pmMerged(mergeLogId: mergeLog, survivor: survivor, merged: merged), handler, database)
    for referral in movedReferrals {
      XCTAssertEqual(try patientOf(referral: referral, database), survivor)
      XCTAssertEqual(try transition(referral: referral, database)?.text("original_patient_id"), merged)
    }
    XCTAssertEqual(try patientOf(referral: otherTenant, database), merged, "other organization untouched")
    XCTAssertEqual(
      try count(
        "SELECT COUNT(*) FROM cl_transition_repoints WHERE merge_key = ? AND from_patient_id = ? AND to_patient_id = ?",
        database, [mergeLog, merged, survivor]), 2)
    XCTAssertEqual(
      try count(
        "SELECT repointed_count FROM cl_patient_merge_applications WHERE merge_key = ?", database, [mergeLog]),
      2)

    // Same merge_log_id under another event id: a no-op.
    let before = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM cl_care_transitions ORDER BY id")
    }
    try apply(CTFixture.pmMerged(mergeLogId: mergeLog, survivor: survivor, merged: merged), handler, database)
    let after = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM cl_care_transitions ORDER BY id")
    }
    XCTAssertEqual(before, after)
    XCTAssertEqual(try count("SELECT COUNT(*) FROM cl_patient_merge_applications", database), 1)
    XCTAssertEqual(try count("SELECT COUNT(*) FROM cl_transition_repoints", database), 2)
  }

  func testRegistrationMergeThenUnmergeRestoresExactlyTheMovedTransitions() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let source = CTFixture.id(1, prefix: "9a9a9a9a")
    let survivor = CTFixture.id(2, prefix: "9a9a9a9a")
    let sourceReferrals = [CTFixture.newId(), CTFixture.newId()]
    for referral in sourceReferrals {
      try apply(CTFixture.referral(referralId: referral, patientId: source), handler, database)
    }
    let survivorOwn = CTFixture.newId()
    try apply(CTFixture.referral(referralId: survivorOwn, patientId: survivor), handler, database)

    try apply(CTFixture.registrationMerged(survivor: survivor, source: source), handler, database)
    for referral in sourceReferrals + [survivorOwn] {
      XCTAssertEqual(try patientOf(referral: referral, database), survivor)
    }
    let mergeKey = try database.pool.read { db in
      try String.fetchOne(db, sql: "SELECT merge_key FROM cl_patient_merge_applications")
    }
    XCTAssertTrue(mergeKey?.hasPrefix("registration:") ?? false)

    let createdAfterMerge = CTFixture.newId()
    try apply(CTFixture.referral(referralId: createdAfterMerge, patientId: survivor), handler, database)

    try apply(CTFixture.registrationUnmerged(survivor: survivor, source: source), handler, database)
    for referral in sourceReferrals {
      XCTAssertEqual(try patientOf(referral: referral, database), source)
    }
    XCTAssertEqual(try patientOf(referral: survivorOwn, database), survivor)
    XCTAssertEqual(try patientOf(referral: createdAfterMerge, database), survivor)
    XCTAssertEqual(
      try count("SELECT COUNT(*) FROM cl_transition_repoints WHERE restored_at IS NOT NULL", database), 2)
    XCTAssertEqual(
      try count("SELECT COUNT(*) FROM cl_patient_merge_applications WHERE unmerged_at IS NOT NULL", database),
      1)

    // A repeated unmerge changes nothing.
    let before = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM cl_care_transitions ORDER BY id")
    }
    try apply(CTFixture.registrationUnmerged(survivor: survivor, source: source), handler, database)
    let after = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM cl_care_transitions ORDER BY id")
    }
    XCTAssertEqual(before, after)
  }

  func testReferralArrivingAfterItsPatientWasMergedFollowsTheMergeAndIsRestoredByUnmerge() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let source = CTFixture.id(1, prefix: "9a9a9a9a")
    let survivor = CTFixture.id(2, prefix: "9a9a9a9a")
    let chart = CTFixture.id(3, prefix: "8b8b8b8b")
    try apply(CTFixture.referral(patientId: source, chartId: chart), handler, database)
    try apply(CTFixture.registrationMerged(survivor: survivor, source: source), handler, database)

    let late = CTFixture.newId()
    try apply(CTFixture.referral(referralId: late, patientId: source), handler, database)
    let row = try XCTUnwrap(try transition(referral: late, database))
    XCTAssertEqual(row.text("patient_id"), survivor)
    XCTAssertEqual(row.text("original_patient_id"), source)
    XCTAssertEqual(row.text("chart_id"), chart, "the chart followed the merge to the survivor")

    try apply(CTFixture.registrationUnmerged(survivor: survivor, source: source), handler, database)
    XCTAssertEqual(try patientOf(referral: late, database), source)
    let restoredChart = try database.pool.read { db in
      try String.fetchOne(
        db, sql: "SELECT chart_id FROM cl_patient_charts_seen WHERE organization_id = ? AND patient_id = ?",
        arguments: [CTFixture.organization, source])
    }
    XCTAssertEqual(restoredChart, chart)
  }

  // MARK: vital status

  func testDeceasedClosesOpenTransitionsAndCorrectionRestoresThem() throws {
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"], maxActive: 1)
    ])
    let handler = makeHandler(rules)
    let database = try open(handler)
    let patient = CTFixture.id(1, prefix: "9a9a9a9a")
    let other = CTFixture.id(2, prefix: "9a9a9a9a")
    let active = CTFixture.newId()
    let waiting = CTFixture.newId()
    let otherPatient = CTFixture.newId()
    try apply(CTFixture.referral(referralId: active, patientId: patient), handler, database)
    try apply(CTFixture.referral(referralId: waiting, patientId: patient), handler, database)
    try apply(
      CTFixture.referral(referralId: otherPatient, patientId: other, priority: "urgent"), handler, database)
    XCTAssertEqual(try transition(referral: waiting, database)?.text("status"), "awaiting_coordinator")

    try apply(CTFixture.vitalStatus(patient: patient, deceased: true, correction: false), handler, database)
    XCTAssertEqual(try transition(referral: active, database)?.text("status"), "closed_deceased")
    XCTAssertEqual(try transition(referral: waiting, database)?.text("status"), "closed_deceased")
    XCTAssertEqual(try transition(referral: otherPatient, database)?.text("status"), "active")
    XCTAssertNotNil(try transition(referral: active, database)?.text("closed_at"))

    // Another organization's event for the same patient id changes nothing here.
    try apply(
      CTFixture.vitalStatus(
        patient: patient, deceased: false, correction: true, organization: CTFixture.otherOrganization),
      handler,
      database)
    XCTAssertEqual(try transition(referral: active, database)?.text("status"), "closed_deceased")

    try apply(CTFixture.vitalStatus(patient: patient, deceased: false, correction: true), handler, database)
    let restored = try XCTUnwrap(try transition(referral: active, database))
    XCTAssertEqual(restored.text("status"), "active")
    XCTAssertNil(restored.text("closed_at"))
    XCTAssertNil(restored.text("status_before_close"))
    XCTAssertEqual(try transition(referral: waiting, database)?.text("status"), "awaiting_coordinator")
  }

  func testAliveWithoutCorrectionChangesNothing() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let referral = CTFixture.newId()
    let patient = CTFixture.id(1)
    try apply(CTFixture.referral(referralId: referral, patientId: patient), handler, database)
    try apply(CTFixture.vitalStatus(patient: patient, deceased: true, correction: false), handler, database)
    try apply(CTFixture.vitalStatus(patient: patient, deceased: false, correction: false), handler, database)
    XCTAssertEqual(try transition(referral: referral, database)?.text("status"), "closed_deceased")
  }

  // MARK: cost allocation

  func testCostAllocationIsStoredAndUpdatedByAllocationId() throws {
    let handler = makeHandler(nil)
    let database = try open(handler)
    let allocation = CTFixture.newId()
    let eventId = CTFixture.newId()
    try apply(
      CTFixture.costAllocated(allocationId: allocation, total: 1_000_000, patients: 3, eventId: eventId),
      handler, database)
    var row = try XCTUnwrap(
      try database.pool.read { db in
        try Row.fetchOne(
          db, sql: "SELECT * FROM cl_program_cost_outcomes WHERE allocation_id = ?", arguments: [allocation])
      })
    XCTAssertEqual(row.text("organization_id"), CTFixture.organization)
    XCTAssertEqual(row.text("program_id"), CTFixture.id(0x77))
    XCTAssertEqual(row.text("program_name"), "IOP")
    XCTAssertEqual(row.text("period_start"), "2026-03-01")
    XCTAssertEqual(row.text("period_end"), "2026-03-31")
    XCTAssertEqual(row.int("total_cost_cents"), 1_000_000)
    XCTAssertEqual(row.double("cost_per_patient_day"), 412.5)
    XCTAssertEqual(row.int("patient_count"), 3)
    XCTAssertEqual(row.text("allocation_method"), "step_down")
    XCTAssertEqual(row.int("cost_per_patient_cents"), 333_333)
    XCTAssertEqual(row.text("source_event_id"), eventId)

    try apply(CTFixture.costAllocated(allocationId: allocation, total: 500, patients: 0), handler, database)
    row = try XCTUnwrap(
      try database.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM cl_program_cost_outcomes") })
    XCTAssertEqual(try count("SELECT COUNT(*) FROM cl_program_cost_outcomes", database), 1)
    XCTAssertEqual(row.int("total_cost_cents"), 500)
    XCTAssertNil(row.int("cost_per_patient_cents"))

    XCTAssertThrowsError(
      try apply(
        CTFixture.costAllocated(
          allocationId: allocation, total: 1, patients: 1, organization: CTFixture.otherOrganization),
        handler,
        database))
  }

  func testCostPerPatientRoundsHalfUpAndNeverOverflows() {
    // 2.5 → 3, 3.33 → 3, 3.67 → 4
    XCTAssertEqual(CareTransitionsHandler.costPerPatientCents(totalCents: 10, patientCount: 4), 3)
    XCTAssertEqual(CareTransitionsHandler.costPerPatientCents(totalCents: 10, patientCount: 3), 3)
    XCTAssertEqual(CareTransitionsHandler.costPerPatientCents(totalCents: 11, patientCount: 3), 4)
    XCTAssertNil(CareTransitionsHandler.costPerPatientCents(totalCents: 10, patientCount: 0))
    XCTAssertEqual(CareTransitionsHandler.costPerPatientCents(totalCents: Int.max, patientCount: Int.max), 1)
    XCTAssertEqual(
      CareTransitionsHandler.costPerPatientCents(totalCents: Int.max, patientCount: 2), Int.max / 2 + 1)
  }
}
