import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

extension GRIncidentsHandler {
  /// Risk levels that create an awareness record (seed 004 Event 5 trigger).
  public static let awarenessRiskLevels: Set<String> = ["high", "imminent"]

  /// `cl_crisis_episode_opened` → GR incident awareness. With `risk_level` `high` or `imminent`
  /// (any case): one `gr_incident_awareness` row per episode and a critical alert to the supervisor
  /// or the escalation path when it is created; any other risk level has no effect (the ledger row
  /// still records the event). Ids that are not UUIDs are permanent errors.
  public func applyCrisisOpened(
    _ envelope: ContractEnvelope<CrisisEpisodeOpenedPayload>, db: Database, context: inout HandlerContext
  ) throws {
    let payload = envelope.payload
    let risk = payload.risk_level.trimmingCharacters(in: .whitespacesAndNewlines).lowercasedIfNeeded()
    guard Self.awarenessRiskLevels.contains(risk) else {
      context.logger.debug("crisis episode below the awareness risk levels; no effect")
      return
    }
    let organization = try RestraintPayloadValidator.uuid(
      envelope.metadata.organization_id, field: "metadata.organization_id")
    let episode = try RestraintPayloadValidator.uuid(payload.entity_id, field: "payload.entity_id")
    let chart = try RestraintPayloadValidator.uuid(payload.chart_id, field: "payload.chart_id")
    let crisisType = try RestraintPayloadValidator.text(payload.crisis_type, field: "payload.crisis_type")
    let supervisor = try payload.supervisor_id.map { id throws(HandlerError) in
      try RestraintPayloadValidator.uuid(id, field: "payload.supervisor_id")
    }
    if let existing = try IncidentAwareness.fetchOne(db, crisisEpisodeId: episode) {
      guard existing.organizationId == organization else {
        throw HandlerError.permanent("crisis episode \(episode) belongs to another organization")
      }
      context.logger.info("crisis awareness already recorded", metadata: ["awareness_id": "\(existing.id)"])
      return
    }
    let eventId = envelope.metadata.event_id
    let id = UUID().uuidString.lowercasedIfNeeded()
    try db.execute(
      sql: """
        INSERT INTO gr_incident_awareness (
          id, organization_id, crisis_episode_id, chart_id, crisis_type, risk_level, supervisor_id, source_event_id,
          created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        id, organization, episode, chart, crisisType, risk, supervisor, eventId,
        ISOTime.string(context.now),
      ])
    notifyCritical(
      template: Self.awarenessTemplate, eventId: eventId, organizationId: organization,
      supervisorId: supervisor,
      entityId: episode, entityType: "crisis_episode", context: &context)
    context.logger.info("crisis awareness recorded", metadata: ["awareness_id": "\(id)"])
  }
}
