import CareTransitions
import ChargeCapture
import CloudEvents
import ConsumerRuntime
import DomainEvents
import FleetTestSupport
import Foundation
import GRDB
import GRIncidents
import JetStream
import LeadReconciliation
import NATSWire
import XCTest

/// The E2E test plan of seed 003 and the fleet-level guarantees of the consumer runtime, against a
/// real nats-server with the streams/ topology and the services running in-process.
final class FleetEndToEndTests: XCTestCase {
  // MARK: seed 003 E2E plan

  /// Note finalization → charge suggestion with billing codes, encounter, duration and modifiers.
  func testNoteFinalizationCreatesChargeSuggestion() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(ChargeCaptureHandler())
      let encounter = Events.id()
      try await fleet.publish(try Events.encounterRegistered(encounter: encounter))
      let note = try Events.noteSigned(encounter: encounter, codes: ["90837", "90785"], modifiers: ["GT"])
      try await fleet.publish(note)
      try await eventually("suggestion") {
        try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions") == 1
      }
      let row = try fleet.query("charge-capture") {
        try Row.fetchOne($0, sql: "SELECT * FROM pm_charge_suggestions")
      }
      let suggestion = try XCTUnwrap(row)
      XCTAssertEqual(suggestion["encounter_id"] as String?, encounter)
      XCTAssertEqual(suggestion["duration_minutes"] as Int?, 53)
      let codes = try XCTUnwrap(suggestion["billing_codes"] as String?)
      XCTAssertTrue(codes.contains("90837") && codes.contains("90785"), codes)
      XCTAssertTrue((suggestion["modifiers"] as String?)?.contains("GT") == true)
      XCTAssertEqual(
        suggestion["status"] as String?, "pending_review", "90785 is high-risk and auto-post is off")
      try await eventually("work stream drained") { try await fleet.messageCount("WQ_CHARGE_CAPTURE") == 0 }
      XCTAssertEqual(
        try fleet.count("charge-capture", "SELECT COUNT(*) FROM fw_domain_events WHERE status = 'processed'"),
        2)
      // The billing notification reaches the NOTIFICATIONS stream through the outbox relay.
      try await eventually("billing notification published") {
        try await fleet.messageCount("NOTIFICATIONS") >= 1
      }
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  /// Referral acceptance → care transition with a coordinator assigned by the org's rules.
  func testReferralAcceptanceCreatesCareTransitionWithCoordinator() async throws {
    let fleet = try await FleetHarness()
    let coordinator = "cccccccc-0000-4000-8000-00000000000c"
    let config = """
      {"organizations": {"\(FleetHarness.orgA)": {"coordinators": [
        {"id": "\(coordinator)", "service_types": ["behavioral_health"], "max_active": 10}]}}}
      """
    do {
      try await fleet.start(CareTransitionsHandler(configuration: try .load(json: Array(config.utf8))))
      try await fleet.publish(try Events.referralAccepted(priority: "urgent"))
      try await fleet.publish(try Events.costAllocated())
      try await eventually("care transition") {
        try fleet.count(
          "care-transitions", "SELECT COUNT(*) FROM cl_care_transitions WHERE care_coordinator_id = ?",
          [coordinator]) == 1
      }
      XCTAssertEqual(
        try fleet.count(
          "care-transitions", "SELECT COUNT(*) FROM cl_care_transitions WHERE needs_chart_creation = 1"), 1)
      // Cost allocation → CL-10 outcomes context (recorded by care-transitions).
      try await eventually("cost outcome") {
        try fleet.count(
          "care-transitions",
          "SELECT COUNT(*) FROM cl_program_cost_outcomes WHERE cost_per_patient_cents = 50000") == 1
      }
      // Accepting provider, coordinator and chart-creation notifications are published.
      try await eventually("notifications published") { try await fleet.messageCount("NOTIFICATIONS") >= 3 }
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  /// The same event id twice → exactly one suggestion and the "Duplicate event … — skipping" line.
  func testDuplicateEventIsProcessedOnce() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(ChargeCaptureHandler())
      let encounter = Events.id()
      try await fleet.publish(try Events.encounterRegistered(encounter: encounter))
      let note = try Events.noteSigned(encounter: encounter)
      try await fleet.publish(note)
      // A republish with a fresh msg id passes the stream's dedupe window, as a replay would.
      try await fleet.publish(note, msgId: "replay:test:\(note.id)")
      try await eventually("duplicate skipped") {
        fleet.logs.all.contains { $0.contains("Duplicate event \(note.id) — skipping") }
      }
      try await eventually("both deliveries acked") { try await fleet.messageCount("WQ_CHARGE_CAPTURE") == 0 }
      XCTAssertEqual(try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions"), 1)
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  /// Invalid encounter_id until retries are exhausted → the failed ledger row exactly as the seed
  /// says, the admin notification, a dead letter, and the work stream empty.
  func testInvalidEncounterEndsInDeadLetterAfterThreeRetries() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(ChargeCaptureHandler())
      let note = try Events.noteSigned(encounter: Events.id())
      try await fleet.publish(note)
      try await eventually("dead letter", timeout: .seconds(30)) { try await fleet.messageCount("DLQ") == 1 }
      // The dead letter is stored before the ledger row's transaction commits (then the TERM).
      try await eventually("failed ledger row") {
        try fleet.count(
          "charge-capture", "SELECT COUNT(*) FROM fw_domain_events WHERE event_id = ? AND status = 'failed'",
          [note.id]) == 1
      }
      let row = try XCTUnwrap(
        try fleet.query("charge-capture") {
          try Row.fetchOne($0, sql: "SELECT * FROM fw_domain_events WHERE event_id = ?", arguments: [note.id])
        })
      XCTAssertEqual(row["status"] as String?, "failed")
      XCTAssertEqual(row["retry_count"] as Int?, 3)
      XCTAssertFalse((row["error_message"] as String? ?? "").isEmpty)
      XCTAssertNil(row["processed_at"] as String?)
      XCTAssertEqual(
        try fleet.count(
          "charge-capture",
          "SELECT COUNT(*) FROM pf_notifications WHERE template = 'event_dead_lettered' AND recipient_id = 'system_admin'"
        ),
        1)
      XCTAssertEqual(try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions"), 0)
      let letter = try await fleet.jetStream.getMessage(stream: "DLQ", sequence: 1)
      XCTAssertEqual(letter.headers?["Fleet-DLQ-Retry-Count"], "3")
      XCTAssertEqual(letter.headers?["Fleet-DLQ-Original-Subject"], "cl_pm_events.progress_note_signed")
      XCTAssertEqual(letter.headers?["ce-id"], note.id, "the dead letter carries the original envelope")
      XCTAssertNil(letter.headers?["Nats-Stream-Source"])
      try await eventually("work stream empty") { try await fleet.messageCount("WQ_CHARGE_CAPTURE") == 0 }
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  // MARK: runtime guarantees

  /// The encounter arrives after the note: the note is retried (NAK 1 s) and then processed.
  func testEncounterArrivingAfterNoteIsRetriedThenProcessed() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(ChargeCaptureHandler())
      let encounter = Events.id()
      let note = try Events.noteSigned(encounter: encounter)
      try await fleet.publish(note)
      try await Task.sleep(for: .milliseconds(400))
      try await fleet.publish(try Events.encounterRegistered(encounter: encounter))
      try await eventually("suggestion after retry", timeout: .seconds(15)) {
        try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions") == 1
      }
      let retries = try fleet.count(
        "charge-capture",
        "SELECT retry_count FROM fw_domain_events WHERE event_id = ? AND status = 'processed'", [note.id])
      XCTAssertGreaterThanOrEqual(retries, 1, "the note was delivered again after its NAK")
      let dead = try await fleet.messageCount("DLQ")
      XCTAssertEqual(dead, 0)
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  /// Invalid envelopes, an unknown type, a wrong tenant and an oversized payload are dead-lettered
  /// at once with a clear error; the service keeps running and processes the next good event.
  func testBadInputIsDeadLetteredAndNothingElseIsLost() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(ChargeCaptureHandler(), maxPayloadBytes: 8 * 1024)
      let subject = "cl_pm_events.progress_note_signed"
      try await fleet.publishRaw(subject, body: Array("this is not a cloud event".utf8))
      var unknown = try Events.noteSigned(encounter: Events.id())
      unknown.type = "encoreos.cl.progress_note_unsigned"
      try await fleet.publish(unknown, subject: subject)
      try await fleet.publish(try Events.noteSigned(encounter: Events.id(), org: FleetHarness.orgB))
      var big = try Events.noteSigned(encounter: Events.id())
      big.extensions["padding"] = .string(String(repeating: "x", count: 16 * 1024))
      try await fleet.publish(big)
      let encounter = Events.id()
      try await fleet.publish(try Events.encounterRegistered(encounter: encounter))
      try await fleet.publish(try Events.noteSigned(encounter: encounter))
      try await eventually("four dead letters") { try await fleet.messageCount("DLQ") == 4 }
      try await eventually("good event processed") {
        try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions") == 1
      }
      var errors: [String] = []
      for seq in UInt64(1)...4 {
        let letter = try await fleet.jetStream.getMessage(stream: "DLQ", sequence: seq)
        errors.append(letter.headers?["Fleet-DLQ-Error"] ?? "")
        XCTAssertEqual(letter.headers?["Fleet-DLQ-Error-Kind"], "permanent")
      }
      XCTAssertTrue(errors.contains { $0.contains("invalid CloudEvent") }, "\(errors)")
      XCTAssertTrue(errors.contains { $0.lowercased().contains("unknown") }, "\(errors)")
      XCTAssertTrue(errors.contains { $0.contains("not served") }, "\(errors)")
      XCTAssertTrue(errors.contains { $0.contains("oversized payload") }, "\(errors)")
      // Each dead letter is stored before its ledger row commits.
      try await eventually("four failed ledger rows") {
        try fleet.count(
          "charge-capture",
          "SELECT COUNT(*) FROM fw_domain_events WHERE status = 'failed' AND retry_count = 0")
          == 4
      }
      try await eventually("work stream empty") { try await fleet.messageCount("WQ_CHARGE_CAPTURE") == 0 }
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  // MARK: business rules through the fleet

  func testHighRiskGuardWithOrganizationOverride() async throws {
    let fleet = try await FleetHarness()
    let config = """
      {"organizations": {"\(FleetHarness.orgA)": {"auto_post_enabled": true, "auto_post_high_risk_codes": false,
        "auto_post_high_risk_codes_list": ["99999"]}}}
      """
    do {
      try await fleet.start(ChargeCaptureHandler(configuration: try .load(json: Array(config.utf8))))
      let e1 = Events.id()
      let e2 = Events.id()
      try await fleet.publish(try Events.encounterRegistered(encounter: e1))
      try await fleet.publish(try Events.encounterRegistered(encounter: e2))
      // 90785 is on the default list but the org list replaces it: auto-posted.
      try await fleet.publish(try Events.noteSigned(encounter: e1, codes: ["90837", "90785"]))
      // 99999 is on the org's own list: manual review.
      try await fleet.publish(try Events.noteSigned(encounter: e2, codes: ["99999"]))
      try await eventually("two suggestions") {
        try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charge_suggestions") == 2
      }
      XCTAssertEqual(
        try fleet.count(
          "charge-capture",
          "SELECT COUNT(*) FROM pm_charge_suggestions WHERE encounter_id = ? AND status = 'auto_posted'", [e1]
        ), 1)
      XCTAssertEqual(
        try fleet.count("charge-capture", "SELECT COUNT(*) FROM pm_charges WHERE encounter_id = ?", [e1]), 2)
      XCTAssertEqual(
        try fleet.count(
          "charge-capture",
          "SELECT COUNT(*) FROM pm_charge_suggestions WHERE encounter_id = ? AND status = 'pending_review'",
          [e2]), 1)
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  func testLeadToBothAndMergeUnmergeThroughTheFleet() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(LeadReconciliationHandler())
      let both = try Events.leadConverted(type: "lead_to_both")
      try await fleet.publish(both)
      try await fleet.publish(both, msgId: "replay:x:\(both.id)")
      let patient = Events.id()
      try await fleet.publish(try Events.leadConverted(type: "lead_to_patient", patient: patient))
      try await eventually("conversions") {
        try fleet.count("lead-reconciliation", "SELECT COUNT(*) FROM ce_lead_conversions") == 3
      }
      XCTAssertEqual(
        try fleet.count(
          "lead-reconciliation", "SELECT COUNT(DISTINCT correlation_id) FROM ce_lead_conversions"), 3)
      try await eventually("link") {
        try fleet.count(
          "lead-reconciliation", "SELECT COUNT(*) FROM ce_lead_patient_links WHERE patient_id = ?", [patient])
          == 1
      }
      let survivor = Events.id()
      let merged = try DomainEventEncoder.cloudEvent(
        kind: .patientMerged,
        registrationData: PatientMergedData(
          survivorId: survivor, sourceId: patient, stableSurvivorId: survivor, stableSourceId: patient,
          tenantId: FleetHarness.orgA, involvedUnidentified: false, involvedProvisional: false),
        id: Events.id(), time: Date(), tenantId: FleetHarness.orgA)
      try await fleet.publish(merged)
      try await eventually("re-pointed to survivor") {
        try fleet.count(
          "lead-reconciliation", "SELECT COUNT(*) FROM ce_lead_patient_links WHERE patient_id = ?", [survivor]
        ) == 1
      }
      let unmerged = try DomainEventEncoder.cloudEvent(
        kind: .patientUnmerged,
        registrationData: PatientUnmergedData(
          survivorId: survivor, sourceId: patient, stableSurvivorId: survivor, stableSourceId: patient,
          tenantId: FleetHarness.orgA),
        id: Events.id(), time: Date(), tenantId: FleetHarness.orgA)
      try await fleet.publish(unmerged)
      try await eventually("restored by unmerge") {
        try fleet.count(
          "lead-reconciliation", "SELECT COUNT(*) FROM ce_lead_patient_links WHERE patient_id = ?", [patient])
          == 1
      }
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }

  func testRestraintIncidentValidationAndPHIStripping() async throws {
    let fleet = try await FleetHarness()
    do {
      try await fleet.start(GRIncidentsHandler())
      let restraint = Events.id()
      try await fleet.publish(
        try Events.restraintInitiated(restraint: restraint, extra: ["patient_name": "Jane Q Patient"]))
      try await eventually("incident") {
        try fleet.count(
          "gr-incidents", "SELECT COUNT(*) FROM gr_incidents WHERE restraint_event_id = ?", [restraint]) == 1
      }
      XCTAssertEqual(
        try fleet.count(
          "gr-incidents",
          "SELECT COUNT(*) FROM pf_audit_logs WHERE action = 'fw.restraint_incident_automation.executed'"), 1)
      XCTAssertEqual(
        try fleet.count(
          "gr-incidents", "SELECT COUNT(*) FROM fw_domain_events WHERE event_payload LIKE '%Jane Q Patient%'"),
        0,
        "unexpected free text never reaches the ledger")
      // Wrong entity_type: dead-lettered, nothing created.
      var invalid = try Events.restraintInitiated(restraint: Events.id())
      let text = String(decoding: invalid.data ?? [], as: UTF8.self).replacingOccurrences(
        of: "\"restraint_seclusion_event\"", with: "\"restraint\"")
      invalid.data = Array(text.utf8)
      try await fleet.publish(invalid)
      try await eventually("dead letter") { try await fleet.messageCount("DLQ") == 1 }
      XCTAssertEqual(try fleet.count("gr-incidents", "SELECT COUNT(*) FROM gr_incidents"), 1)
    } catch {
      await fleet.shutdown()
      throw error
    }
    await fleet.shutdown()
  }
}
