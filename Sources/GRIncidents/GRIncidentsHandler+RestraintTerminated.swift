import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension GRIncidentsHandler {
  /// `new_values` of the close/escalate audit row.
  struct TerminationAuditValues: Encodable {
    var event_id: String
    var correlation_id: String
    var entity_id: String
    var gr_incident_id: String
    var status: String
    var escalation_reason: String?
    var termination_time: String
    var actual_duration_minutes: Int
    var face_to_face_required: Bool
  }

  /// `cl_restraint_event_terminated` → GR-09 auto-close or escalation.
  ///
  /// The incident must exist for the organization (else `HandlerError.transient`: the initiated
  /// event may still arrive). The duration runs from the earlier of the two initiation times (stored
  /// and sent) to the termination time; a termination before the initiation is a permanent error.
  /// The incident is escalated when `duration_exceeded` is true or the duration is over
  /// `max_duration_hours` (`duration_exceeded`), and/or when `face_to_face_required_flag` is true
  /// (`face_to_face_required`); otherwise it is closed. An escalated incident is never downgraded
  /// by a later termination event. Audit row `gr.restraint_incident.closed` / `.escalated`; a
  /// critical alert when the incident becomes escalated or its reason changes.
  public func applyRestraintTerminated(
    _ envelope: ContractEnvelope<RestraintEventTerminatedPayload>, db: Database, context: inout HandlerContext
  ) throws {
    let facts = try RestraintPayloadValidator.terminated(envelope.payload, metadata: envelope.metadata)
    guard let incident = try RestraintIncident.fetchOne(db, restraintEventId: facts.restraintEventId),
      incident.organizationId == facts.organizationId
    else {
      throw HandlerError.transient("restraint incident \(facts.restraintEventId) not found")
    }
    let storedInitiation = ContractFormat.dateTime(incident.initiationTime) ?? facts.initiationTime
    let initiation = min(storedInitiation, facts.initiationTime)
    guard facts.terminationTime >= initiation else {
      throw HandlerError.permanent("payload.termination_time precedes the initiation time")
    }
    let seconds = facts.terminationTime.timeIntervalSince(initiation)
    let overrun = seconds > incident.maxDurationHours * 3600

    var reasons: [String] = []
    if facts.durationExceeded == true || overrun { reasons.append("duration_exceeded") }
    if facts.faceToFaceRequired { reasons.append("face_to_face_required") }
    let wasEscalated = incident.status == "escalated"
    let status = reasons.isEmpty && !wasEscalated ? "closed" : "escalated"
    let reason = reasons.isEmpty ? incident.escalationReason : reasons.joined(separator: ",")
    let minutes = Int(min(seconds / 60, Double(Int32.max)))
    let eventId = envelope.metadata.event_id

    try db.execute(
      sql: """
        UPDATE gr_incidents SET
          termination_time = ?, actual_duration_minutes = ?, face_to_face_required = ?, face_to_face_deadline = ?,
          status = ?, escalation_reason = ?, crisis_episode_id = COALESCE(crisis_episode_id, ?),
          termination_event_id = ?, updated_at = ?
        WHERE id = ?
        """,
      arguments: [
        ISOTime.string(facts.terminationTime), minutes, facts.faceToFaceRequired,
        facts.faceToFaceDeadline.map(ISOTime.string), status, status == "escalated" ? reason : nil,
        facts.crisisEpisodeId, eventId, ISOTime.string(context.now), incident.id,
      ])

    try AuditLogEntry.append(
      db, organizationId: facts.organizationId, action: "gr.restraint_incident.\(status)",
      entityType: Self.restraintEntityType, entityId: facts.restraintEventId, at: context.now,
      values: TerminationAuditValues(
        event_id: eventId, correlation_id: envelope.metadata.correlation_id,
        entity_id: facts.restraintEventId,
        gr_incident_id: incident.id, status: status, escalation_reason: status == "escalated" ? reason : nil,
        termination_time: ISOTime.string(facts.terminationTime), actual_duration_minutes: minutes,
        face_to_face_required: facts.faceToFaceRequired))

    if status == "escalated" && (!wasEscalated || reason != incident.escalationReason) {
      notifyCritical(
        template: Self.escalatedTemplate, eventId: eventId, organizationId: facts.organizationId,
        supervisorId: incident.supervisorId, entityId: incident.id, entityType: "gr_incident",
        context: &context)
    }
    context.logger.info(
      "restraint incident \(status)",
      metadata: ["gr_incident_id": "\(incident.id)", "restraint_event_id": "\(facts.restraintEventId)"])
  }
}
