import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension GRIncidentsHandler {
  /// `new_values` of the automation audit row (seed 004, audit logging).
  struct AutomationAuditValues: Encodable {
    struct Outcome: Encodable {
      var created_task_ids: [String]
      var gr_incident_id: String
    }
    var event_id: String
    var correlation_id: String
    var entity_id: String
    var template: String
    var outcome: Outcome
  }

  /// `cl_restraint_event_initiated` → the `restraint_incident_creation` template: (1) validate the
  /// payload (`HandlerError.permanent` naming the field, nothing written), (2) upsert the GR-09
  /// incident keyed by the restraint entity id (a replay under a new event id updates the same row
  /// and never reopens it), (3) audit row, (4) critical alert to the supervisor or the escalation
  /// path when the incident is created.
  public func applyRestraintInitiated(
    _ envelope: ContractEnvelope<RestraintEventInitiatedPayload>, db: Database, context: inout HandlerContext
  ) throws {
    let facts = try RestraintPayloadValidator.initiated(envelope.payload, metadata: envelope.metadata)
    let eventId = envelope.metadata.event_id
    let now = ISOTime.string(context.now)
    let existing = try RestraintIncident.fetchOne(db, restraintEventId: facts.restraintEventId)
    if let existing, existing.organizationId != facts.organizationId {
      throw HandlerError.permanent(
        "restraint event \(facts.restraintEventId) belongs to another organization")
    }

    let incidentId: String
    if let existing {
      incidentId = existing.id
      try db.execute(
        sql: """
          UPDATE gr_incidents SET
            chart_id = ?, event_type = ?, patient_age_group = ?, max_duration_hours = ?, initiation_time = ?,
            crisis_episode_id = COALESCE(?, crisis_episode_id), supervisor_id = COALESCE(?, supervisor_id),
            updated_at = ?
          WHERE id = ?
          """,
        arguments: [
          facts.chartId, facts.eventType, facts.patientAgeGroup, facts.maxDurationHours,
          ISOTime.string(facts.initiationTime), facts.crisisEpisodeId, facts.supervisorId, now, incidentId,
        ])
    } else {
      incidentId = UUID().uuidString.lowercasedIfNeeded()
      try db.execute(
        sql: """
          INSERT INTO gr_incidents (
            id, organization_id, restraint_event_id, chart_id, incident_type, event_type, patient_age_group,
            max_duration_hours, initiation_time, status, crisis_episode_id, supervisor_id, source_event_id,
            created_at, updated_at)
          VALUES (?, ?, ?, ?, 'restraint_seclusion', ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)
          """,
        arguments: [
          incidentId, facts.organizationId, facts.restraintEventId, facts.chartId, facts.eventType,
          facts.patientAgeGroup, facts.maxDurationHours, ISOTime.string(facts.initiationTime),
          facts.crisisEpisodeId, facts.supervisorId, eventId, now, now,
        ])
    }

    try AuditLogEntry.append(
      db, organizationId: facts.organizationId, action: Self.automationAction,
      entityType: Self.restraintEntityType, entityId: facts.restraintEventId, at: context.now,
      values: AutomationAuditValues(
        event_id: eventId, correlation_id: envelope.metadata.correlation_id,
        entity_id: facts.restraintEventId,
        template: Self.automationTemplate,
        outcome: .init(created_task_ids: [], gr_incident_id: incidentId)))

    if existing == nil {
      notifyCritical(
        template: Self.createdTemplate, eventId: eventId, organizationId: facts.organizationId,
        supervisorId: facts.supervisorId, entityId: incidentId, entityType: "gr_incident", context: &context)
    }
    context.logger.info(
      existing == nil ? "restraint incident created" : "restraint incident updated",
      metadata: ["gr_incident_id": "\(incidentId)", "restraint_event_id": "\(facts.restraintEventId)"])
  }
}
