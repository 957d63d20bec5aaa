import CloudEvents
import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

/// GR-09 incident automation with the FW `restraint_incident_creation` template (seed 004 Events
/// 5–7, DESIGN §6): validates restraint events, upserts the regulatory incident, closes or
/// escalates it on termination, records crisis-episode awareness, writes the 42 CFR 482.13 audit
/// trail, and queues critical PF-10 alerts to the supervisor or the organization's escalation path.
///
/// PHI: only documented fields are stored in the GR tables, and the ledger's `event_payload` is the
/// envelope from `auditEnvelope(for:)`, with undocumented fields replaced by `sha256:<hex>`.
public struct GRIncidentsHandler: ServiceHandler {
  /// Escalation paths (CONFIG_FILE).
  public let configuration: GRIncidentsConfiguration

  /// FW template name recorded in the audit row of an initiated event.
  public static let automationTemplate = "restraint_incident_creation"
  /// Audit action of the initiated automation.
  public static let automationAction = "fw.restraint_incident_automation.executed"
  /// Audit `entity_type` of restraint rows.
  public static let restraintEntityType = "restraint_seclusion_event"
  /// Notification template of a created incident.
  public static let createdTemplate = "restraint_incident_created"
  /// Notification template of an escalated incident.
  public static let escalatedTemplate = "restraint_incident_escalated"
  /// Notification template of a high/imminent-risk crisis episode.
  public static let awarenessTemplate = "crisis_incident_awareness"

  /// Creates the handler.
  public init(configuration: GRIncidentsConfiguration = .builtIn) {
    self.configuration = configuration
  }

  /// `gr-incidents`.
  public var serviceName: String { "gr-incidents" }

  /// `cl_restraint_event_initiated`, `cl_restraint_event_terminated`, `cl_crisis_episode_opened`.
  public var consumes: Set<DomainEventKind> {
    [.clRestraintEventInitiated, .clRestraintEventTerminated, .clCrisisEpisodeOpened]
  }

  /// Adds `gr_incidents`, `gr_incident_awareness` and `pf_audit_logs`.
  public func registerMigrations(_ migrator: inout DatabaseMigrator) {
    GRIncidentsSchema.registerMigrations(&migrator)
  }

  /// Dispatches one event to its rule (see the `apply…` methods).
  public func handle(_ event: InboundEvent, db: Database, context: inout HandlerContext) throws {
    switch event.decoded.body {
    case .clRestraintEventInitiated(let envelope):
      try applyRestraintInitiated(envelope, db: db, context: &context)
    case .clRestraintEventTerminated(let envelope):
      try applyRestraintTerminated(envelope, db: db, context: &context)
    case .clCrisisEpisodeOpened(let envelope):
      try applyCrisisOpened(envelope, db: db, context: &context)
    default:
      throw HandlerError.permanent(
        "event type \(event.decoded.kind.rawValue) is not consumed by \(serviceName)")
    }
  }

  /// The received CloudEvent with every undocumented field hashed (`LedgerPayloadSanitizer`), so
  /// the ledger's `event_payload` never keeps unexpected free text either.
  public func auditEnvelope(for event: InboundEvent) -> CloudEvent {
    LedgerPayloadSanitizer.sanitized(event.decoded.cloudEvent, kind: event.decoded.kind)
  }

  /// Queues one critical notification per recipient, with ids `<event_id>:<template>:<recipient>`.
  func notifyCritical(
    template: String, eventId: String, organizationId: String, supervisorId: String?, entityId: String,
    entityType: String, context: inout HandlerContext
  ) {
    for recipient in configuration.recipients(organizationId: organizationId, supervisorId: supervisorId) {
      context.notify(
        OutboxNotification(
          id: "\(eventId):\(template):\(recipient.id)", organizationId: organizationId,
          recipientType: recipient.type, recipientId: recipient.id, severity: "critical", template: template,
          eventId: eventId, entityId: entityId, entityType: entityType))
    }
  }
}
