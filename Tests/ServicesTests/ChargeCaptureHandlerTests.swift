import ChargeCapture
import CloudEvents
import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging
import XCTest

/// Business rules of charge-capture (seed 003 Events 1 and 4), applied inside a write transaction
/// of a real service database, with events built by `DomainEventEncoder` and `DomainEventDecoder`.
final class ChargeCaptureHandlerTests: XCTestCase {
  private var directory: URL!
  private var database: ServiceDatabase!
  private var handler = ChargeCaptureHandler()

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "charge-capture-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    handler = ChargeCaptureHandler()
    database = try ServiceDatabase(path: directory.appendingPathComponent("cc.sqlite").path, handler: handler)
  }

  override func tearDownWithError() throws {
    database = nil
    try? FileManager.default.removeItem(at: directory)
  }

  // MARK: - Encounter projection

  func testEncounterRegisteredThenStatusChangedUpsertsTheProjection() throws {
    try apply(CCFixture.encounterRegistered(status: "planned", at: CCFixture.now))
    var row = try XCTUnwrap(try encounterRow())
    XCTAssertEqual(row["organization_id"], CCFixture.organization)
    XCTAssertEqual(row["patient_id"], CCFixture.patient)
    XCTAssertEqual(row["stable_patient_id"], CCFixture.stablePatient)
    XCTAssertEqual(row["encounter_type"], "AMB")
    XCTAssertEqual(row["status"], "planned")

    try apply(
      CCFixture.statusChanged(from: "planned", to: "arrived", at: CCFixture.now.addingTimeInterval(60)))
    row = try XCTUnwrap(try encounterRow())
    XCTAssertEqual(row["status"], "arrived")
    XCTAssertEqual(row["encounter_type"], "AMB", "a status change keeps the registered type")
    XCTAssertEqual(try count("pm_encounters"), 1)
  }

  func testStatusChangedForAnUnknownEncounterCreatesItAndALateRegistrationKeepsTheNewerStatus() throws {
    try apply(
      CCFixture.statusChanged(from: "planned", to: "in-progress", at: CCFixture.now.addingTimeInterval(120)))
    var row = try XCTUnwrap(try encounterRow())
    XCTAssertEqual(row["status"], "in-progress")
    XCTAssertNil(row["encounter_type"] as String?)

    try apply(CCFixture.encounterRegistered(status: "planned", at: CCFixture.now))
    row = try XCTUnwrap(try encounterRow())
    XCTAssertEqual(row["status"], "in-progress", "an older registration must not roll the status back")
    XCTAssertEqual(row["encounter_type"], "AMB")
  }

  func testEncounterOfAnotherOrganizationIsPermanent() throws {
    try apply(CCFixture.encounterRegistered(status: "planned", at: CCFixture.now))
    XCTAssertThrowsError(
      try apply(
        CCFixture.encounterRegistered(
          status: "planned", at: CCFixture.now, organization: CCFixture.otherOrganization))
    ) { error in
      guard case .permanent(let message)? = error as? HandlerError else { return XCTFail("\(error)") }
      XCTAssertTrue(message.contains("another organization"))
    }
  }

  /// The refusal writes nothing (so the runtime settles it without rolling the batch back) and
  /// leaves the owner's row as it was, newer status or not.
  func testEncounterOfAnotherOrganizationWritesNothing() throws {
    try apply(CCFixture.encounterRegistered(status: "planned", at: CCFixture.now))
    let intruder = try CCFixture.encounterRegistered(
      status: "arrived", at: CCFixture.now.addingTimeInterval(60), organization: CCFixture.otherOrganization)
    let handler = self.handler
    let (wrote, row) = try database.pool.write { db -> (Bool, Row?) in
      let before = db.totalChangesCount
      var context = HandlerContext(now: CCFixture.now, logger: Logger(label: "charge-capture-tests"))
      XCTAssertThrowsError(try handler.handle(intruder, db: db, context: &context))
      return (
        db.totalChangesCount != before,
        try Row.fetchOne(
          db, sql: "SELECT organization_id, status FROM pm_encounters WHERE id = ?",
          arguments: [CCFixture.encounter])
      )
    }
    XCTAssertFalse(wrote)
    XCTAssertEqual(row?["organization_id"], CCFixture.organization)
    XCTAssertEqual(row?["status"], "planned")
  }

  // MARK: - progress_note_signed

  func testNoteCreatesASuggestionWithBillingCodesModifiersDurationAndProvider() throws {
    try registerEncounter()
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.note(eventId: eventId, codes: ["90837", "90785"], modifiers: ["gt"], duration: 53))

    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.organizationId, CCFixture.organization)
    XCTAssertEqual(suggestion.sourceEventName, "progress_note_signed")
    XCTAssertEqual(suggestion.encounterId, CCFixture.encounter)
    XCTAssertEqual(suggestion.chartId, CCFixture.chart)
    XCTAssertEqual(suggestion.noteId, CCFixture.note)
    XCTAssertNil(suggestion.crisisEpisodeId)
    XCTAssertEqual(suggestion.renderingProviderId, CCFixture.provider)
    XCTAssertEqual(suggestion.serviceDate, "2026-04-17")
    XCTAssertEqual(suggestion.billingCodes, ["90837", "90785"])
    XCTAssertEqual(suggestion.modifiers, ["GT"])
    XCTAssertEqual(suggestion.durationMinutes, 53)
    XCTAssertEqual(suggestion.units, 1)
    XCTAssertEqual(suggestion.unitsPerCode, [1, 1])
    XCTAssertEqual(suggestion.unitsBasis, .perService)
    XCTAssertEqual(suggestion.noteType, "individual")
    // Built-in settings: auto-post off, 90785 on the default high-risk list.
    XCTAssertEqual(suggestion.status, "pending_review")
    XCTAssertEqual(suggestion.highRiskCodes, ["90785"])
    XCTAssertEqual(suggestion.reviewReasons, [.autoPostDisabled, .highRiskCodes])
    XCTAssertEqual(try count("pm_charges"), 0)

    XCTAssertEqual(
      notifications,
      [
        OutboxNotification(
          id: "\(eventId):charge_manual_review:billing", organizationId: CCFixture.organization,
          recipientType: "role", recipientId: "billing", severity: "warning",
          template: "charge_manual_review",
          eventId: eventId, entityId: suggestion.id, entityType: "charge_suggestion")
      ])
  }

  func testStoredJSONColumnsAreArrays() throws {
    try registerEncounter()
    let eventId = CCFixture.newId()
    try apply(CCFixture.note(eventId: eventId, codes: ["90837"], modifiers: nil, duration: 53))
    let row = try XCTUnwrap(
      try read {
        try Row.fetchOne(
          $0, sql: "SELECT * FROM pm_charge_suggestions WHERE source_event_id = ?", arguments: [eventId])
      })
    XCTAssertEqual(row["billing_codes"], #"["90837"]"#)
    XCTAssertNil(row["modifiers"] as String?, "no modifiers → NULL")
    XCTAssertEqual(row["high_risk_codes"], "[]")
    XCTAssertEqual(row["review_reasons"], #"["auto_post_disabled"]"#)
    XCTAssertEqual(row["note_id"], CCFixture.note)
    XCTAssertNil(row["crisis_episode_id"] as String?)
  }

  func testUnknownEncounterIsTransientAndWritesNothing() throws {
    let event = try CCFixture.note(eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53)
    XCTAssertThrowsError(try apply(event)) { error in
      XCTAssertEqual(error as? HandlerError, .transient("encounter \(CCFixture.encounter) not found"))
    }
    XCTAssertEqual(try count("pm_charge_suggestions"), 0)
  }

  func testEncounterOfAnotherOrganizationDoesNotCount() throws {
    try apply(
      CCFixture.encounterRegistered(
        status: "planned", at: CCFixture.now, organization: CCFixture.otherOrganization))
    let event = try CCFixture.note(eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53)
    XCTAssertThrowsError(try apply(event)) { error in
      XCTAssertEqual(error as? HandlerError, .transient("encounter \(CCFixture.encounter) not found"))
    }
  }

  func testNoteRequiringAMissingCosignatureIsPermanent() throws {
    try registerEncounter()
    let event = try CCFixture.note(
      eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53, requiresCosignature: true,
      cosigned: false)
    XCTAssertThrowsError(try apply(event)) { error in
      guard case .permanent(let message)? = error as? HandlerError else { return XCTFail("\(error)") }
      XCTAssertTrue(message.contains("cosignature"))
    }
    XCTAssertEqual(try count("pm_charge_suggestions"), 0)

    let cosigned = try CCFixture.note(
      eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53, requiresCosignature: true,
      cosigned: true)
    try apply(cosigned)
    XCTAssertEqual(try count("pm_charge_suggestions"), 1)
  }

  // MARK: - High-risk guard (seed 003 Event 1 step 4)

  func testGuardAutoPostOffHoldsForReviewAndNotifiesBilling() throws {
    try useConfiguration(#"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": false}}}"#)
    try registerEncounter()
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.note(eventId: eventId, codes: ["90837"], modifiers: nil, duration: 53))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.status, "pending_review")
    XCTAssertEqual(suggestion.reviewReasons, [.autoPostDisabled])
    XCTAssertEqual(try count("pm_charges"), 0)
    XCTAssertEqual(notifications.map(\.recipientId), ["billing"])
    XCTAssertEqual(notifications.map(\.severity), ["info"])
  }

  func testGuardAutoPostOnWithoutHighRiskCodesPostsOneChargePerCode() throws {
    try useConfiguration(#"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true}}}"#)
    try registerEncounter()
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.note(eventId: eventId, codes: ["90837", "99213"], modifiers: ["GT"], duration: 53))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.status, "auto_posted")
    XCTAssertNil(suggestion.reviewReasons)
    XCTAssertEqual(notifications, [])

    let charges = try read { try PostedCharge.fetchAll($0, suggestionId: suggestion.id) }
    XCTAssertEqual(charges.map(\.billingCode), ["90837", "99213"])
    XCTAssertEqual(charges.map(\.lineNumber), [1, 2])
    XCTAssertEqual(charges.map(\.units), [1, 1])
    for charge in charges {
      XCTAssertEqual(charge.organizationId, CCFixture.organization)
      XCTAssertEqual(charge.encounterId, CCFixture.encounter)
      XCTAssertEqual(charge.modifiers, ["GT"])
      XCTAssertEqual(charge.renderingProviderId, CCFixture.provider)
      XCTAssertEqual(charge.serviceDate, "2026-04-17")
      XCTAssertEqual(charge.postedAt, "2026-04-17T10:00:00.000Z")
    }
  }

  func testGuardAutoPostOnWithHighRiskCodeAndFlagOffHoldsForReview() throws {
    try useConfiguration(
      #"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true, "auto_post_high_risk_codes": false}}}"#
    )
    try registerEncounter()
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.note(eventId: eventId, codes: ["90837", "h0004"], modifiers: nil, duration: 53))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.status, "pending_review")
    XCTAssertEqual(suggestion.highRiskCodes, ["H0004"])
    XCTAssertEqual(suggestion.reviewReasons, [.highRiskCodes])
    XCTAssertEqual(try count("pm_charges"), 0)
    XCTAssertEqual(notifications.map(\.severity), ["warning"])
    XCTAssertEqual(notifications.map(\.template), ["charge_manual_review"])
  }

  func testGuardAutoPostOnWithHighRiskCodeAndFlagOnPosts() throws {
    try useConfiguration(
      #"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true, "auto_post_high_risk_codes": true}}}"#
    )
    try registerEncounter()
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.note(eventId: eventId, codes: ["90837", "90785"], modifiers: nil, duration: 53))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.status, "auto_posted")
    XCTAssertEqual(suggestion.highRiskCodes, ["90785"], "hits are recorded even when posting is allowed")
    XCTAssertEqual(
      try read { try PostedCharge.fetchAll($0, suggestionId: suggestion.id) }.map(\.billingCode),
      ["90837", "90785"])
    XCTAssertEqual(notifications, [])
  }

  func testOrganizationListReplacesTheDefaultList() throws {
    try useConfiguration(
      #"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true, "auto_post_high_risk_codes_list": ["90791"]}}}"#
    )
    try registerEncounter()

    let defaultCodeEvent = CCFixture.newId()
    try apply(CCFixture.note(eventId: defaultCodeEvent, codes: ["90839"], modifiers: nil, duration: 60))
    let posted = try XCTUnwrap(
      try read { try ChargeSuggestion.fetchOne($0, sourceEventId: defaultCodeEvent) })
    XCTAssertEqual(
      posted.status, "auto_posted", "90839 is on the default list only, which the org list replaced")
    XCTAssertEqual(posted.highRiskCodes, [])

    let customCodeEvent = CCFixture.newId()
    try apply(
      CCFixture.note(
        eventId: customCodeEvent, codes: ["90791"], modifiers: nil, duration: 60, note: CCFixture.otherNote))
    let held = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: customCodeEvent) })
    XCTAssertEqual(held.status, "pending_review")
    XCTAssertEqual(held.highRiskCodes, ["90791"])
  }

  func testEmptyOrganizationListMeansTheDefaultList() throws {
    try useConfiguration(
      #"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true, "auto_post_high_risk_codes_list": []}}}"#
    )
    try registerEncounter()
    let eventId = CCFixture.newId()
    try apply(CCFixture.note(eventId: eventId, codes: ["96127"], modifiers: nil, duration: 10))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.status, "pending_review")
    XCTAssertEqual(suggestion.highRiskCodes, ["96127"])
  }

  func testOrganizationsWithoutSettingsUseTheDefaultsSection() throws {
    try useConfiguration(#"{"defaults": {"auto_post_enabled": true}}"#)
    try registerEncounter()
    let eventId = CCFixture.newId()
    try apply(CCFixture.note(eventId: eventId, codes: ["90837"], modifiers: nil, duration: 53))
    XCTAssertEqual(
      try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) }?.status, "auto_posted")
  }

  // MARK: - Idempotency and re-sent notes

  func testTheSameEventTwiceCreatesOneSuggestion() throws {
    try registerEncounter()
    let event = try CCFixture.note(eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53)
    try apply(event)
    let second = try apply(event)
    XCTAssertEqual(try count("pm_charge_suggestions"), 1)
    XCTAssertEqual(second, [], "no second billing notification")
  }

  func testANoteResentUnderANewEventIdIsNeverPostedTwice() throws {
    try useConfiguration(#"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true}}}"#)
    try registerEncounter()
    let first = CCFixture.newId()
    try apply(CCFixture.note(eventId: first, codes: ["90837"], modifiers: nil, duration: 53))
    let firstSuggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: first) })
    XCTAssertEqual(firstSuggestion.status, "auto_posted")

    let second = CCFixture.newId()
    let notifications = try apply(
      CCFixture.note(eventId: second, codes: ["90837"], modifiers: nil, duration: 53))
    let secondSuggestion = try XCTUnwrap(
      try read { try ChargeSuggestion.fetchOne($0, sourceEventId: second) })
    XCTAssertEqual(secondSuggestion.status, "pending_review")
    XCTAssertEqual(secondSuggestion.reviewReasons, [.alreadySuggested])
    XCTAssertEqual(secondSuggestion.supersedesSuggestionId, firstSuggestion.id)
    XCTAssertEqual(try count("pm_charges"), 1)
    XCTAssertEqual(notifications.map(\.id), ["\(second):charge_manual_review:billing"])
  }

  // MARK: - cl_crisis_episode_resolved (seed 003 Event 4)

  func testCrisisSuggestionLinksTheEpisodeAndDerivesUnitsFromTheDefaultTable() throws {
    try registerEncounter()
    let cases: [(code: String, duration: Int?, units: Int, basis: UnitsBasis)] = [
      ("S9484", 90, 2, .duration),  // per hour, any started hour
      ("H2011", 50, 4, .duration),  // per 15 minutes, round up
      ("S9485", 300, 1, .perDiem),
      ("S9484", nil, 1, .default),  // time-based code without a duration
      ("90839", 60, 1, .perService),
    ]
    for (index, item) in cases.enumerated() {
      let eventId = CCFixture.newId()
      let episode = CCFixture.newId()
      try apply(
        CCFixture.crisisResolved(
          eventId: eventId, episode: episode, code: item.code, duration: item.duration,
          encounter: CCFixture.encounter))
      let suggestion = try XCTUnwrap(
        try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) }, "case \(index)")
      XCTAssertEqual(suggestion.crisisEpisodeId, episode, "case \(index)")
      XCTAssertNil(suggestion.noteId, "case \(index)")
      XCTAssertEqual(suggestion.billingCodes, [item.code], "case \(index)")
      XCTAssertEqual(suggestion.units, item.units, "case \(index)")
      XCTAssertEqual(suggestion.unitsBasis, item.basis, "case \(index)")
      XCTAssertEqual(suggestion.durationMinutes, item.duration, "case \(index)")
      XCTAssertEqual(suggestion.sourceEventName, "cl_crisis_episode_resolved", "case \(index)")
      XCTAssertEqual(suggestion.encounterId, CCFixture.encounter, "case \(index)")
    }
  }

  func testCrisisUnitsFollowTheOrganizationRules() throws {
    try useConfiguration(
      #"""
      {"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true, "time_based_codes": {
        "H2011": {"minutes_per_unit": 15, "rounding": "nearest"},
        "S9484": {"minutes_per_unit": 60, "rounding": "down", "min_units": 2},
        "H2017": {"minutes_per_unit": 15}}}}}
      """#)
    try registerEncounter()
    let cases: [(code: String, duration: Int, units: Int)] = [
      ("H2011", 50, 3),  // 3.33 units, nearest
      ("H2011", 53, 4),  // 3.53 units, nearest
      ("S9484", 90, 2),  // floor 1, min_units 2
      ("S9484", 200, 3),  // floor 3.33
      ("H2017", 31, 3),  // an extra code, default rounding up
    ]
    for (index, item) in cases.enumerated() {
      let eventId = CCFixture.newId()
      try apply(
        CCFixture.crisisResolved(
          eventId: eventId, episode: CCFixture.newId(), code: item.code, duration: item.duration,
          encounter: CCFixture.encounter))
      let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
      XCTAssertEqual(suggestion.units, item.units, "case \(index)")
      XCTAssertEqual(suggestion.status, "auto_posted", "case \(index)")
      XCTAssertEqual(
        try read { try PostedCharge.fetchAll($0, suggestionId: suggestion.id) }.map(\.units), [item.units],
        "case \(index)")
    }
  }

  func testCrisisWithAnUnknownEncounterIsTransient() throws {
    let event = try CCFixture.crisisResolved(
      eventId: CCFixture.newId(), episode: CCFixture.newId(), code: "S9484", duration: 90,
      encounter: CCFixture.encounter)
    XCTAssertThrowsError(try apply(event)) { error in
      XCTAssertEqual(error as? HandlerError, .transient("encounter \(CCFixture.encounter) not found"))
    }
  }

  func testCrisisWithoutAnEncounterIsHeldForReviewEvenWhenAutoPostIsOn() throws {
    try useConfiguration(#"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true}}}"#)
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.crisisResolved(
        eventId: eventId, episode: CCFixture.newId(), code: "S9484", duration: 90, encounter: nil))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertNil(suggestion.encounterId)
    XCTAssertEqual(suggestion.status, "pending_review")
    XCTAssertEqual(suggestion.reviewReasons, [.noEncounter])
    XCTAssertEqual(notifications.map(\.template), ["charge_manual_review"])
  }

  func testCrisisHighRiskCodeUsesTheSameGuard() throws {
    try useConfiguration(#"{"organizations": {"\#(CCFixture.organization)": {"auto_post_enabled": true}}}"#)
    try registerEncounter()
    let eventId = CCFixture.newId()
    let notifications = try apply(
      CCFixture.crisisResolved(
        eventId: eventId, episode: CCFixture.newId(), code: "90840", duration: 30,
        encounter: CCFixture.encounter))
    let suggestion = try XCTUnwrap(try read { try ChargeSuggestion.fetchOne($0, sourceEventId: eventId) })
    XCTAssertEqual(suggestion.status, "pending_review")
    XCTAssertEqual(suggestion.highRiskCodes, ["90840"])
    XCTAssertEqual(notifications.map(\.severity), ["warning"])
  }

  // MARK: - Through the runtime (seed 003 E2E rows)

  func testDuplicateEventThroughTheProcessorCreatesOneSuggestion() async throws {
    try registerEncounter()
    let processor = makeProcessor()
    let cloudEvent = try CCFixture.noteCloudEvent(
      eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53)
    let first = await processor.process(try CCFixture.workMessage(cloudEvent, sequence: 1))
    let second = await processor.process(try CCFixture.workMessage(cloudEvent, sequence: 2))
    XCTAssertEqual(first, .processed)
    XCTAssertEqual(second, .duplicate)
    XCTAssertEqual(try count("pm_charge_suggestions"), 1)
  }

  func testInvalidEncounterIsDeadLetteredAfterTheRetries() async throws {
    let processor = makeProcessor()
    let cloudEvent = try CCFixture.noteCloudEvent(
      eventId: CCFixture.newId(), codes: ["90837"], modifiers: nil, duration: 53)
    var outcomes: [ProcessingOutcome] = []
    for delivery in 1...4 {
      outcomes.append(
        await processor.process(try CCFixture.workMessage(cloudEvent, sequence: 7, delivery: delivery)))
    }
    XCTAssertEqual(
      outcomes,
      [
        .retryScheduled(.seconds(1)), .retryScheduled(.seconds(2)), .retryScheduled(.seconds(4)),
        .deadLettered(retryCount: 3),
      ])
    let entry = try XCTUnwrap(
      try read { try Ledger.row($0, source: "charge-capture", dedupeKey: cloudEvent.id) })
    XCTAssertEqual(entry.status, .failed)
    XCTAssertEqual(entry.retryCount, 3)
    XCTAssertNil(entry.processedAt)
    XCTAssertTrue(entry.errorMessage?.contains("encounter \(CCFixture.encounter) not found") ?? false)
    XCTAssertEqual(try count("pm_charge_suggestions"), 0)
  }

  // MARK: - Helpers

  @discardableResult
  private func apply(_ event: InboundEvent) throws -> [OutboxNotification] {
    let handler = self.handler
    return try database.pool.write { db in
      var context = HandlerContext(now: CCFixture.now, logger: Logger(label: "charge-capture-tests"))
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

  private func encounterRow() throws -> Row? {
    try read {
      try Row.fetchOne($0, sql: "SELECT * FROM pm_encounters WHERE id = ?", arguments: [CCFixture.encounter])
    }
  }

  private func registerEncounter() throws {
    try apply(CCFixture.encounterRegistered(status: "arrived", at: CCFixture.now))
  }

  private func useConfiguration(_ json: String) throws {
    handler = ChargeCaptureHandler(configuration: try ChargeCaptureConfiguration.load(json: Array(json.utf8)))
  }

  private func makeProcessor() -> EventProcessor {
    EventProcessor(
      handler: handler, database: database, tenants: [CCFixture.organization],
      deadLetters: AcceptingDeadLetters(),
      logger: Logger(label: "charge-capture-tests"), clock: { CCFixture.now }, progressInterval: nil)
  }
}

/// Seed events for the charge-capture tests.
private enum CCFixture {
  /// `event` as charge-capture's work stream delivers it.
  static func workMessage(_ event: CloudEvent, sequence: UInt64, delivery: Int = 1) throws
    -> BinaryWorkMessage
  {
    try BinaryWorkMessage(
      event, stream: "WQ_CHARGE_CAPTURE", consumer: "charge-capture", sequence: sequence, delivery: delivery)
  }

  static let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"
  static let otherOrganization = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
  static let encounter = "5e8a1f7c-2d4b-4c6e-8f1a-3b5d7c9e1f2a"
  static let patient = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
  static let stablePatient = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
  static let note = "0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
  static let otherNote = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
  static let chart = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
  static let provider = "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0"
  static let now = Date(timeIntervalSince1970: 1_776_420_000)  // 2026-04-17T10:00:00Z

  static func newId() -> String { UUID().uuidString.lowercased() }

  static func metadata(eventId: String, organization: String = organization) -> EventMetadata {
    EventMetadata(
      organization_id: organization, user_id: provider, timestamp: "2026-04-17T10:00:00Z",
      correlation_id: "corr-\(eventId)", event_id: eventId)
  }

  static func inbound(_ event: CloudEvent) throws -> InboundEvent {
    let decoded = try DomainEventDecoder.decode(event)
    return InboundEvent(decoded: decoded, subject: decoded.kind.subject, streamSequence: 1, deliveryCount: 1)
  }

  static func noteCloudEvent(
    eventId: String, codes: [String], modifiers: [String]?, duration: Int, requiresCosignature: Bool = false,
    cosigned: Bool = false, note: String = note
  ) throws -> CloudEvent {
    let payload = ProgressNoteSignedPayload(
      entity_id: note, chart_id: chart, encounter_id: encounter, rendering_provider_id: provider,
      service_date: "2026-04-17", billing_codes: codes, modifiers: modifiers, duration_minutes: duration,
      note_type: "individual", requires_cosignature: requiresCosignature, cosigned: cosigned)
    return try DomainEventEncoder.cloudEvent(
      kind: .progressNoteSigned,
      envelope: ContractEnvelope(
        kind: .progressNoteSigned, payload: payload, metadata: metadata(eventId: eventId)))
  }

  static func note(
    eventId: String, codes: [String], modifiers: [String]?, duration: Int, requiresCosignature: Bool = false,
    cosigned: Bool = false, note: String = note
  ) throws -> InboundEvent {
    try inbound(
      noteCloudEvent(
        eventId: eventId, codes: codes, modifiers: modifiers, duration: duration,
        requiresCosignature: requiresCosignature, cosigned: cosigned, note: note))
  }

  static func crisisResolved(
    eventId: String, episode: String, code: String, duration: Int?, encounter: String?
  ) throws -> InboundEvent {
    let payload = CrisisEpisodeResolvedPayload(
      entity_id: episode, chart_id: chart, crisis_type: "mobile", service_date: "2026-04-17",
      billing_code: code,
      duration_minutes: duration, rendering_provider_id: provider, encounter_id: encounter)
    return try inbound(
      DomainEventEncoder.cloudEvent(
        kind: .clCrisisEpisodeResolved,
        envelope: ContractEnvelope(
          kind: .clCrisisEpisodeResolved, payload: payload, metadata: metadata(eventId: eventId))))
  }

  static func encounterRegistered(status: String, at time: Date, organization: String = organization) throws
    -> InboundEvent
  {
    let data = EncounterRegisteredData(
      encounterId: encounter, patientId: patient, stablePatientId: stablePatient, tenantId: organization,
      encounterType: "AMB", status: status)
    return try inbound(
      DomainEventEncoder.cloudEvent(
        kind: .encounterRegistered, registrationData: data, id: newId(), time: time, tenantId: organization))
  }

  static func statusChanged(from previous: String, to next: String, at time: Date) throws -> InboundEvent {
    let data = EncounterStatusChangedData(
      encounterId: encounter, patientId: patient, stablePatientId: stablePatient, tenantId: organization,
      previousStatus: previous, newStatus: next)
    return try inbound(
      DomainEventEncoder.cloudEvent(
        kind: .encounterStatusChanged, registrationData: data, id: newId(), time: time, tenantId: organization
      ))
  }
}
