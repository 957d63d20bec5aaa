import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension LeadReconciliationHandler {
  /// `REGISTRATION.patient.created`: when its `correlationid` extension matches a patient
  /// conversion of the organization (`<c>` or the `lead_to_both` derivation `<c>#patient`), the
  /// lead is linked to `data.patientId`; otherwise the registration waits in
  /// `ce_pending_patient_registrations` for its conversion (pruned after the configured retention).
  /// A registration without a correlation id changes nothing.
  func registerPatient(
    _ data: PatientCreatedData, correlationId: String?, eventId: String, db: Database, context: HandlerContext
  ) throws {
    guard let correlationId, !correlationId.isEmpty else {
      context.logger.debug("patient registration without correlation id — not from a lead conversion")
      return
    }
    let organization = data.tenantId.lowercasedIfNeeded()
    let patient = data.patientId.lowercasedIfNeeded()
    let now = ISOTime.string(context.now)
    let candidates = LeadConversionRecord.patientCorrelationCandidates(correlationId)
    let placeholders = candidates.map { _ in "?" }.joined(separator: ", ")
    let conversions = try Row.fetchAll(
      db,
      sql: """
        SELECT lead_id, correlation_id FROM ce_lead_conversions
        WHERE organization_id = ? AND conversion_type = 'lead_to_patient' AND correlation_id IN (\(placeholders))
        ORDER BY created_at, id
        """,
      arguments: StatementArguments([organization] + candidates))
    if conversions.isEmpty {
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO ce_pending_patient_registrations (
            organization_id, correlation_id, patient_id, event_id, received_at)
          VALUES (?, ?, ?, ?, ?)
          """,
        arguments: [organization, correlationId, patient, eventId, now])
      let cutoff = context.now.addingTimeInterval(
        -Double(configuration.pendingRegistrationRetentionDays) * 86_400)
      try db.execute(
        sql: "DELETE FROM ce_pending_patient_registrations WHERE received_at < ?",
        arguments: [ISOTime.string(cutoff)])
      context.logger.info("patient registration waits for its lead conversion")
      return
    }
    for conversion in conversions {
      let leadId: String = conversion["lead_id"] ?? ""
      let conversionCorrelation: String = conversion["correlation_id"] ?? correlationId
      var logger = context.logger
      logger[metadataKey: "lead_id"] = "\(leadId)"
      try link(
        organizationId: organization, leadId: leadId, correlationId: conversionCorrelation,
        patientId: patient,
        source: "registration_patient_created", eventId: eventId, now: now, db: db, logger: logger)
    }
  }

  /// Creates the lead ↔ patient link of a conversion unless it exists. A link that already names
  /// another patient is kept (logged); a patient that an applied merge already deactivated is
  /// re-pointed to its survivor with a repoint row, so an unmerge restores it too.
  func link(
    organizationId: String, leadId: String, correlationId: String, patientId: String, source: String,
    eventId: String, now: String, db: Database, logger: Logger
  ) throws {
    if let existing = try Row.fetchOne(
      db,
      sql:
        "SELECT id, original_patient_id FROM ce_lead_patient_links WHERE organization_id = ? AND correlation_id = ?",
      arguments: [organizationId, correlationId])
    {
      let original: String = existing["original_patient_id"] ?? ""
      if original != patientId {
        let linkId: String = existing["id"] ?? ""
        logger.warning(
          "lead already linked to another patient; link kept",
          metadata: ["link_id": "\(linkId)", "patient_id": "\(patientId)"])
      }
      return
    }
    let linkId = UUID().uuidString.lowercasedIfNeeded()
    try db.execute(
      sql: """
        INSERT INTO ce_lead_patient_links (
          id, organization_id, lead_id, correlation_id, patient_id, original_patient_id, linked_at, updated_at,
          link_source, link_event_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        linkId, organizationId, leadId, correlationId, patientId, patientId, now, now, source, eventId,
      ])
    try Self.merges.followKnownMerges(
      itemId: linkId, organizationId: organizationId, patientId: patientId, now: now, db: db)
    logger.info("lead linked to patient", metadata: ["link_id": "\(linkId)", "link_source": "\(source)"])
  }
}
