import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension LeadReconciliationHandler {
  /// A conversion event: its rows go into `ce_lead_conversions` with `ON CONFLICT DO NOTHING`
  /// (a duplicate delivery succeeds without a second row), its event id and name into
  /// `ce_lead_conversion_sources`, and each patient conversion is linked to its patient when the
  /// event carries `patient_id` or a matching registration is pending.
  ///
  /// The granular events must agree with `conversion_type` (`ce_lead_converted_to_patient` with
  /// `lead_to_patient` or `lead_to_both`, `..._to_resident` with `lead_to_resident` or
  /// `lead_to_both`); the deprecated `ce_lead_converted` accepts every type.
  func recordConversion(
    _ envelope: ContractEnvelope<LeadConvertedPayload>, kind: DomainEventKind, eventId: String, db: Database,
    context: HandlerContext
  ) throws {
    let payload = envelope.payload
    let allowed: Set<String>
    switch kind {
    case .ceLeadConvertedToPatient: allowed = ["lead_to_patient", "lead_to_both"]
    case .ceLeadConvertedToResident: allowed = ["lead_to_resident", "lead_to_both"]
    default: allowed = ["lead_to_patient", "lead_to_resident", "lead_to_both"]
    }
    guard allowed.contains(payload.conversion_type) else {
      throw HandlerError.permanent(
        "conversion_type \(payload.conversion_type) does not match \(kind.rawValue)")
    }
    guard
      payload.organization_id.lowercasedIfNeeded() == envelope.metadata.organization_id.lowercasedIfNeeded()
    else {
      throw HandlerError.permanent("payload.organization_id does not match metadata.organization_id")
    }
    let records: [LeadConversionRecord]
    do {
      records = try LeadConversionRecord.records(from: payload, metadata: envelope.metadata)
    } catch {
      throw HandlerError.permanent(error.message)
    }
    let now = ISOTime.string(context.now)
    var logger = context.logger
    logger[metadataKey: "lead_id"] = "\(payload.lead_id.lowercasedIfNeeded())"

    for record in records {
      try db.execute(
        sql: """
          INSERT INTO ce_lead_conversions (
            id, organization_id, lead_id, conversion_type, correlation_id, patient_id, resident_id, converted_by,
            notes, custom_fields, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (organization_id, lead_id, conversion_type, correlation_id) DO NOTHING
          """,
        arguments: [
          UUID().uuidString.lowercasedIfNeeded(), record.organizationId, record.leadId, record.conversionType,
          record.correlationId, record.patientId, record.residentId, record.convertedBy, record.notes,
          record.customFields, record.createdAt, record.createdBy,
        ])
      let inserted = db.changesCount == 1
      guard
        let conversionId = try String.fetchOne(
          db,
          sql: """
            SELECT id FROM ce_lead_conversions
            WHERE organization_id = ? AND lead_id = ? AND conversion_type = ? AND correlation_id = ?
            """,
          arguments: [record.organizationId, record.leadId, record.conversionType, record.correlationId])
      else {
        throw HandlerError.transient("conversion row not readable after insert")
      }
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO ce_lead_conversion_sources (
            conversion_id, event_id, event_name, organization_id, recorded_at)
          VALUES (?, ?, ?, ?, ?)
          """,
        arguments: [conversionId, eventId, kind.rawValue, record.organizationId, now])
      logger.info(
        inserted ? "lead conversion recorded" : "lead conversion already recorded — no second row",
        metadata: ["conversion_id": "\(conversionId)", "conversion_type": "\(record.conversionType)"])

      guard record.conversionType == "lead_to_patient" || record.patientId != nil else { continue }
      if let patient = record.patientId {
        try link(
          organizationId: record.organizationId, leadId: record.leadId, correlationId: record.correlationId,
          patientId: patient, source: "conversion_event", eventId: eventId, now: now, db: db, logger: logger)
      } else if let pending = try pendingRegistration(
        organizationId: record.organizationId, correlationId: record.correlationId,
        eventCorrelationId: payload.correlation_id,
        db: db)
      {
        try link(
          organizationId: record.organizationId, leadId: record.leadId, correlationId: record.correlationId,
          patientId: pending.patientId, source: "registration_patient_created", eventId: pending.eventId,
          now: now,
          db: db, logger: logger)
        try db.execute(
          sql:
            "DELETE FROM ce_pending_patient_registrations WHERE organization_id = ? AND correlation_id = ?",
          arguments: [record.organizationId, pending.correlationId])
      }
    }
  }

  /// A pending registration for a patient conversion: one whose correlation id is the row's own
  /// (`<c>` or `<c>#patient`) or the event's original `<c>` of a split `lead_to_both`.
  func pendingRegistration(
    organizationId: String, correlationId: String, eventCorrelationId: String, db: Database
  ) throws -> (correlationId: String, patientId: String, eventId: String)? {
    let candidates = Array(Set([correlationId, eventCorrelationId])).sorted()
    let placeholders = candidates.map { _ in "?" }.joined(separator: ", ")
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT correlation_id, patient_id, event_id FROM ce_pending_patient_registrations
        WHERE organization_id = ? AND correlation_id IN (\(placeholders))
        ORDER BY received_at, rowid LIMIT 1
        """,
      arguments: StatementArguments([organizationId] + candidates))
    guard let row, let correlation: String = row["correlation_id"], let patient: String = row["patient_id"],
      let event: String = row["event_id"]
    else { return nil }
    return (correlationId: correlation, patientId: patient, eventId: event)
  }
}
