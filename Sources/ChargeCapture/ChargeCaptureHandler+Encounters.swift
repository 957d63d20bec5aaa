import ConsumerRuntime
import Foundation
import GRDB
import Logging

extension ChargeCaptureHandler {
  /// Upserts the `pm_encounters` row of a REGISTRATION encounter event.
  ///
  /// Ids are stored lowercased. Status and patient ids follow the newest event time, so a
  /// `registered` event that arrives after a `status-changed` one does not roll the status back;
  /// an unknown encounter is created from a `status-changed` event (type unknown until `registered`).
  /// An encounter id already owned by another organization is a permanent error.
  func upsertEncounter(_ facts: EncounterFacts, eventTime: Date, db: Database, context: HandlerContext) throws
  {
    let id = facts.id.lowercasedIfNeeded()
    let organization = facts.organizationId.lowercasedIfNeeded()
    let changedAt = ISOTime.string(eventTime)
    // One statement finds the row and writes it: the update applies only to the same
    // organization's row, so no row changed means another organization owns the id (and nothing
    // was written). A SELECT before the upsert descended the random-key index a second time.
    try db.executeDirect(
      sql: """
        INSERT INTO pm_encounters (
          id, organization_id, patient_id, stable_patient_id, encounter_type, status, status_changed_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
          patient_id = CASE WHEN excluded.status_changed_at >= pm_encounters.status_changed_at
            THEN excluded.patient_id ELSE pm_encounters.patient_id END,
          stable_patient_id = CASE WHEN excluded.status_changed_at >= pm_encounters.status_changed_at
            THEN excluded.stable_patient_id ELSE pm_encounters.stable_patient_id END,
          status = CASE WHEN excluded.status_changed_at >= pm_encounters.status_changed_at
            THEN excluded.status ELSE pm_encounters.status END,
          encounter_type = COALESCE(excluded.encounter_type, pm_encounters.encounter_type),
          status_changed_at = MAX(excluded.status_changed_at, pm_encounters.status_changed_at),
          updated_at = excluded.updated_at
        WHERE pm_encounters.organization_id = excluded.organization_id
        """,
      id, organization, facts.patientId.lowercasedIfNeeded(), facts.stablePatientId.lowercasedIfNeeded(),
      facts.encounterType,
      facts.status, changedAt, ISOTime.string(context.now))
    guard db.changesCount > 0 else {
      throw HandlerError.permanent("encounter \(id) belongs to another organization")
    }
    context.logger.debug("encounter projected", metadata: ["encounter_id": "\(id)"])
  }

  /// Throws `HandlerError.transient("encounter <id> not found")` unless `encounterId` is in
  /// `pm_encounters` for `organizationId` (the registration may still arrive; after the retries the
  /// runtime dead-letters the event, seed 003's "invalid encounter_id → DLQ").
  func requireEncounter(_ encounterId: String, organizationId: String, db: Database) throws {
    let exists = try db.existsDirect(
      sql: "SELECT 1 FROM pm_encounters WHERE id = ? AND organization_id = ?", encounterId, organizationId)
    guard exists else {
      throw HandlerError.transient("encounter \(encounterId) not found")
    }
  }
}
