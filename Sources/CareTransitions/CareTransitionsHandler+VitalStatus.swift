import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

extension CareTransitionsHandler {
  /// `REGISTRATION.patient.vital-status-changed`: `deceased` true closes the patient's open
  /// transitions (`active` or `awaiting_coordinator`) as `closed_deceased`, keeping the prior status;
  /// a correction (`isCorrection` with `deceased` false) restores exactly the transitions a
  /// deceased event closed, to their prior status. `deceased` false without a correction changes nothing.
  func applyVitalStatus(
    _ data: PatientVitalStatusChangedData, eventId: String, db: Database, context: HandlerContext
  ) throws {
    let organization = data.tenantId.lowercasedIfNeeded()
    let patient = data.patientId.lowercasedIfNeeded()
    let now = ISOTime.string(context.now)
    if data.deceased {
      try db.execute(
        sql: """
          UPDATE cl_care_transitions
          SET status_before_close = status, status = 'closed_deceased', closed_at = ?, closed_by_event_id = ?,
              updated_at = ?
          WHERE organization_id = ? AND patient_id = ? AND status IN ('active', 'awaiting_coordinator')
          """,
        arguments: [now, eventId, now, organization, patient])
      context.logger.info(
        "open care transitions closed (deceased)", metadata: ["closed": "\(db.changesCount)"])
    } else if data.isCorrection {
      try db.execute(
        sql: """
          UPDATE cl_care_transitions
          SET status = status_before_close, status_before_close = NULL, closed_at = NULL,
              closed_by_event_id = NULL, updated_at = ?
          WHERE organization_id = ? AND patient_id = ? AND status = 'closed_deceased'
          """,
        arguments: [now, organization, patient])
      context.logger.info(
        "care transitions restored (deceased status corrected)", metadata: ["restored": "\(db.changesCount)"])
    } else {
      context.logger.debug("vital status change without deceased state — nothing to do")
    }
  }
}
