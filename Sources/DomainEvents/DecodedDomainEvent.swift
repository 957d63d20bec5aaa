import CloudEvents

/// A CloudEvent that passed every check of its contract, with its typed body.
public struct DecodedDomainEvent: Sendable, Hashable {
  /// The contract.
  public let kind: DomainEventKind
  /// The CloudEvent as received (its `data` bytes unchanged).
  public let cloudEvent: CloudEvent
  /// The typed contract content.
  public let body: DomainEventBody

  init(kind: DomainEventKind, cloudEvent: CloudEvent, body: DomainEventBody) {
    self.kind = kind
    self.cloudEvent = cloudEvent
    self.body = body
  }

  /// The CloudEvents `id` (equal to `metadata.event_id` for contract events).
  public var eventId: String { cloudEvent.id }

  /// The contract metadata; `nil` for REGISTRATION events.
  public var metadata: EventMetadata? { body.metadata }

  /// The tenant: `metadata.organization_id`, or `tenantId` for REGISTRATION events.
  public var organizationId: String { body.organizationId }

  /// `metadata.correlation_id`, or the `correlationid` extension for REGISTRATION events.
  public var correlationId: String? {
    body.metadata?.correlation_id ?? cloudEvent.extensions["correlationid"]?.stringValue
  }

  /// The ledger dedupe key (DESIGN §5): `metadata.event_id` (CL/PM, CL/FW, FA);
  /// `<organization_id>/<lead_id>/<conversion_type>/<correlation_id>` (CE-29); `merge_log_id`
  /// (pm_patient_merged); `<CloudEvents id>/<patientId|encounterId|survivorId|newPatientId|tenantId>`
  /// (REGISTRATION).
  public var dedupeKey: String { body.dedupeKey(cloudEventID: cloudEvent.id) }
}
