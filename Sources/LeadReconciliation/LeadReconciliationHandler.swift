import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

/// The lead-reconciliation service (CE-29): conversion events become INSERT-only
/// `ce_lead_conversions` audit rows, and the patient each converted lead became is kept in
/// `ce_lead_patient_links`, linked from the conversion itself or from the matching
/// `REGISTRATION.patient.created` (either order), re-pointed on merge and restored on unmerge.
///
/// Consumes `ce_lead_converted_to_patient`, `ce_lead_converted_to_resident`, `ce_lead_converted`
/// (deprecated, same payload), `REGISTRATION.patient.created`, `REGISTRATION.patient.merged`,
/// `REGISTRATION.patient.unmerged` and `pm_patient_merged`. Every query filters by the event's
/// organization. Logs carry ids only (never notes or custom fields).
public struct LeadReconciliationHandler: ServiceHandler {
  /// The service name (ledger `source`, metrics, logs).
  public static let name = "lead-reconciliation"

  /// Pending-registration retention.
  public let configuration: LeadReconciliationConfiguration

  /// Creates the handler.
  public init(configuration: LeadReconciliationConfiguration = .defaults) {
    self.configuration = configuration
  }

  /// `lead-reconciliation`.
  public var serviceName: String { Self.name }

  /// The seven event kinds listed above.
  public var consumes: Set<DomainEventKind> {
    [
      .ceLeadConvertedToPatient, .ceLeadConvertedToResident, .ceLeadConverted, .patientCreated,
      .patientMerged,
      .patientUnmerged, .pmPatientMerged,
    ]
  }

  /// Adds the `ce_*` tables (see `LeadReconciliationSchema`).
  public func registerMigrations(_ migrator: inout DatabaseMigrator) {
    LeadReconciliationSchema.registerMigrations(&migrator)
  }

  /// Applies one event inside the open transaction.
  public func handle(_ event: InboundEvent, db: Database, context: inout HandlerContext) throws {
    let decoded = event.decoded
    let eventId = decoded.eventId
    switch decoded.body {
    case .ceLeadConvertedToPatient(let envelope), .ceLeadConvertedToResident(let envelope),
      .ceLeadConverted(let envelope):
      try recordConversion(envelope, kind: decoded.kind, eventId: eventId, db: db, context: context)
    case .patientCreated(let data):
      try registerPatient(
        data, correlationId: decoded.correlationId, eventId: eventId, db: db, context: context)
    case .pmPatientMerged(let envelope):
      try applyMerge(
        PatientMergeRequest(pmPatientMerged: envelope, eventId: eventId), db: db, context: context)
    case .patientMerged(let data):
      try applyMerge(
        PatientMergeRequest(registrationMerged: data, eventId: eventId), db: db, context: context)
    case .patientUnmerged(let data):
      try applyUnmerge(
        organizationId: data.tenantId.lowercasedIfNeeded(),
        survivorPatientId: data.survivorId.lowercasedIfNeeded(),
        sourcePatientId: data.sourceId.lowercasedIfNeeded(), eventId: eventId, db: db, context: context)
    default:
      throw HandlerError.permanent("\(Self.name) does not consume \(decoded.kind.rawValue)")
    }
  }
}
