import CloudEvents

/// What the encoder and the shared accessors need from a `ContractEnvelope` of any payload type.
protocol AnyContractEnvelope: Encodable, Sendable {
  /// The envelope's metadata.
  var metadata: EventMetadata { get }
  /// The dedupe key (DESIGN §5).
  var dedupeKey: String { get }
  /// Builds and validates the CloudEvent for this envelope.
  func makeCloudEvent(kind: DomainEventKind, traceparent: String?) throws(DomainEventError) -> CloudEvent
}

/// A payload whose contract dedupes on payload fields instead of `metadata.event_id`.
protocol PayloadDedupeKeyProviding {
  /// The dedupe key.
  var dedupeKey: String { get }
}

extension ContractEnvelope: AnyContractEnvelope {
  /// `metadata.event_id`, unless the payload defines its own key (CE-29, pm_patient_merged).
  var dedupeKey: String {
    (payload as? any PayloadDedupeKeyProviding)?.dedupeKey ?? metadata.event_id
  }

  func makeCloudEvent(kind: DomainEventKind, traceparent: String?) throws(DomainEventError) -> CloudEvent {
    try DomainEventEncoder.cloudEvent(kind: kind, envelope: self, traceparent: traceparent)
  }
}

extension LeadConvertedPayload: PayloadDedupeKeyProviding {
  /// `<organization_id>/<lead_id>/<conversion_type>/<correlation_id>`: the UNIQUE constraint of
  /// ce_lead_conversions (000).
  var dedupeKey: String { "\(organization_id)/\(lead_id)/\(conversion_type)/\(correlation_id)" }
}

extension PatientMergedPayload: PayloadDedupeKeyProviding {
  /// `merge_log_id` (002 §4).
  var dedupeKey: String { merge_log_id }
}
