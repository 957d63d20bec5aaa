import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging

/// PM-07 charge capture (seed 003 Events 1 and 4, DESIGN §6): keeps the `pm_encounters`
/// projection from REGISTRATION encounter events, turns signed progress notes and resolved crisis
/// episodes into `pm_charge_suggestions`, and posts them to `pm_charges` only when the
/// organization's auto-post guard allows it; otherwise billing staff get a PF-10 notification.
public struct ChargeCaptureHandler: ServiceHandler {
  /// Per-organization billing settings (CONFIG_FILE).
  public let configuration: ChargeCaptureConfiguration

  /// Template of the billing notification for a suggestion held for review.
  public static let manualReviewTemplate = "charge_manual_review"
  /// Role that receives manual-review notifications.
  public static let billingRole = "billing"

  /// Creates the handler.
  public init(configuration: ChargeCaptureConfiguration = .builtIn) {
    self.configuration = configuration
    var rules: [String: BillingRules] = [:]
    for organization in configuration.organizations.keys {
      rules[organization] = configuration.rules(for: organization)
    }
    self.rulesByOrganization = rules
    self.defaultRules = BillingRules(organization: nil, defaults: configuration.defaults)
  }

  /// The effective rules of each configured organization, computed once (not per event).
  private let rulesByOrganization: [String: BillingRules]
  /// The rules of organizations the configuration does not list.
  private let defaultRules: BillingRules

  /// The effective rules of `organizationId` (`configuration.rules(for:)`, precomputed).
  func rules(for organizationId: String) -> BillingRules {
    rulesByOrganization[organizationId] ?? rulesByOrganization[organizationId.lowercasedIfNeeded()]
      ?? defaultRules
  }

  /// `charge-capture`.
  public var serviceName: String { "charge-capture" }

  /// `progress_note_signed`, `cl_crisis_episode_resolved`, `REGISTRATION.encounter.registered`,
  /// `REGISTRATION.encounter.status-changed`.
  public var consumes: Set<DomainEventKind> {
    [.progressNoteSigned, .clCrisisEpisodeResolved, .encounterRegistered, .encounterStatusChanged]
  }

  /// Adds `pm_encounters`, `pm_charge_suggestions` and `pm_charges`.
  public func registerMigrations(_ migrator: inout DatabaseMigrator) {
    ChargeCaptureSchema.registerMigrations(&migrator)
  }

  /// Applies one event. Throws `HandlerError.transient` when the referenced encounter is not known
  /// yet, `HandlerError.permanent` for a note that is not billable (cosignature missing), an
  /// encounter of another organization, or an event kind this service does not consume.
  public func handle(_ event: InboundEvent, db: Database, context: inout HandlerContext) throws {
    let eventTime = event.decoded.cloudEvent.time?.date ?? context.now
    switch event.decoded.body {
    case .progressNoteSigned(let envelope):
      try applyProgressNote(envelope, db: db, context: &context)
    case .clCrisisEpisodeResolved(let envelope):
      try applyCrisisResolved(envelope, db: db, context: &context)
    case .encounterRegistered(let data):
      try upsertEncounter(
        EncounterFacts(
          id: data.encounterId, organizationId: data.tenantId, patientId: data.patientId,
          stablePatientId: data.stablePatientId, encounterType: data.encounterType, status: data.status),
        eventTime: eventTime, db: db, context: context)
    case .encounterStatusChanged(let data):
      try upsertEncounter(
        EncounterFacts(
          id: data.encounterId, organizationId: data.tenantId, patientId: data.patientId,
          stablePatientId: data.stablePatientId, encounterType: nil, status: data.newStatus),
        eventTime: eventTime, db: db, context: context)
    default:
      throw HandlerError.permanent(
        "event type \(event.decoded.kind.rawValue) is not consumed by \(serviceName)")
    }
  }
}
