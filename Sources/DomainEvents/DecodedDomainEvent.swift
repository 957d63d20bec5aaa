import CloudEvents

/// A CloudEvent that passed every check of its contract, with its typed body.
public struct DecodedDomainEvent: Sendable, Hashable {
  /// The contract.
  public let kind: DomainEventKind
  /// The CloudEvent as received (its `data` bytes unchanged).
  public let cloudEvent: CloudEvent
  /// The typed contract content.
  public let body: DomainEventBody

  /// `summary` is `body.summary` (the decoder makes it for its consistency checks).
  init(kind: DomainEventKind, cloudEvent: CloudEvent, body: DomainEventBody, summary: DomainEventBody.Summary)
  {
    self.kind = kind
    self.cloudEvent = cloudEvent
    self.body = body
    self.metadata = summary.metadata
    self.organizationId = summary.organizationId
    self.dedupeKey = summary.dedupeKey(cloudEventID: cloudEvent.id)
    self.correlationId =
      summary.metadata?.correlation_id ?? cloudEvent.extensions["correlationid"]?.stringValue
  }

  // The accessors below are read for every event (ledger row, tenant check, logs): they are
  // computed once, here, instead of going through the body each time.

  /// The CloudEvents `id` (equal to `metadata.event_id` for contract events).
  public var eventId: String { cloudEvent.id }

  /// The contract metadata; `nil` for REGISTRATION events.
  public let metadata: EventMetadata?

  /// The tenant: `metadata.organization_id`, or `tenantId` for REGISTRATION events.
  public let organizationId: String

  /// `metadata.correlation_id`, or the `correlationid` extension for REGISTRATION events.
  public let correlationId: String?

  /// The ledger dedupe key (DESIGN §5): `metadata.event_id` (CL/PM, CL/FW, FA);
  /// `<organization_id>/<lead_id>/<conversion_type>/<correlation_id>` (CE-29); `merge_log_id`
  /// (pm_patient_merged); `<CloudEvents id>/<patientId|encounterId|survivorId|newPatientId|tenantId>`
  /// (REGISTRATION).
  public let dedupeKey: String
}
