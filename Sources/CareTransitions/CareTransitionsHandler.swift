import ConsumerRuntime
import DomainEvents
import GRDB
import Logging

/// The care-transitions service (CL-12): accepted referrals become care transitions with a chart
/// check and a coordinator, merges and unmerges re-point and restore them, a recorded death closes
/// them, and FA program cost allocations feed the CL-10 outcomes context.
///
/// Consumes `pm_referral_accepted`, `pm_patient_merged`, `REGISTRATION.patient.merged`,
/// `REGISTRATION.patient.unmerged`, `REGISTRATION.patient.vital-status-changed` and
/// `fa_program_cost_allocated`. Every effect runs in the runtime's transaction; every query filters
/// by the event's organization. Logs carry ids only.
public struct CareTransitionsHandler: ServiceHandler {
  /// The service name (ledger `source`, metrics, logs).
  public static let name = "care-transitions"

  /// Assignment rules and notification roles.
  public let configuration: CareTransitionsConfiguration

  /// Creates the handler.
  public init(configuration: CareTransitionsConfiguration = .defaults) {
    self.configuration = configuration
  }

  /// `care-transitions`.
  public var serviceName: String { Self.name }

  /// The six event kinds listed above.
  public var consumes: Set<DomainEventKind> {
    [
      .pmReferralAccepted, .pmPatientMerged, .patientMerged, .patientUnmerged, .patientVitalStatusChanged,
      .faProgramCostAllocated,
    ]
  }

  /// Adds the `cl_*` tables (see `CareTransitionsSchema`).
  public func registerMigrations(_ migrator: inout DatabaseMigrator) {
    CareTransitionsSchema.registerMigrations(&migrator)
  }

  /// Applies one event inside the open transaction.
  public func handle(_ event: InboundEvent, db: Database, context: inout HandlerContext) throws {
    let eventId = event.decoded.eventId
    switch event.decoded.body {
    case .pmReferralAccepted(let envelope):
      try acceptReferral(envelope, eventId: eventId, db: db, context: &context)
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
    case .patientVitalStatusChanged(let data):
      try applyVitalStatus(data, eventId: eventId, db: db, context: context)
    case .faProgramCostAllocated(let envelope):
      try recordCostAllocation(envelope, eventId: eventId, db: db, context: context)
    default:
      throw HandlerError.permanent("\(Self.name) does not consume \(event.decoded.kind.rawValue)")
    }
  }
}
