import DomainEvents

/// A merge to apply, from either `pm_patient_merged` or `REGISTRATION.patient.merged`; ids lowercased.
public struct PatientMergeRequest: Sendable, Equatable {
  /// `merge_log_id` (PM) or `registration:<CloudEvents id>` (REGISTRATION).
  public var mergeKey: String
  /// The tenant.
  public var organizationId: String
  /// The surviving patient.
  public var survivorPatientId: String
  /// The merged (deactivated) patient.
  public var mergedPatientId: String
  /// The event that carried the merge.
  public var eventId: String
  /// Its event name.
  public var eventName: String

  public init(
    mergeKey: String, organizationId: String, survivorPatientId: String, mergedPatientId: String,
    eventId: String,
    eventName: String
  ) {
    self.mergeKey = mergeKey
    self.organizationId = organizationId.lowercasedIfNeeded()
    self.survivorPatientId = survivorPatientId.lowercasedIfNeeded()
    self.mergedPatientId = mergedPatientId.lowercasedIfNeeded()
    self.eventId = eventId
    self.eventName = eventName
  }
}

extension PatientMergeRequest {
  /// The merge of a `pm_patient_merged` event (002): idempotency key `merge_log_id`.
  public init(pmPatientMerged envelope: ContractEnvelope<PatientMergedPayload>, eventId: String) {
    let payload = envelope.payload
    self.init(
      mergeKey: payload.merge_log_id.lowercasedIfNeeded(), organizationId: envelope.metadata.organization_id,
      survivorPatientId: payload.survivor_patient_id, mergedPatientId: payload.merged_patient_id,
      eventId: eventId, eventName: DomainEventKind.pmPatientMerged.rawValue)
  }

  /// The merge of a `REGISTRATION.patient.merged` event (001): keyed by its CloudEvents id.
  public init(registrationMerged data: PatientMergedData, eventId: String) {
    self.init(
      mergeKey: "registration:\(eventId)", organizationId: data.tenantId, survivorPatientId: data.survivorId,
      mergedPatientId: data.sourceId, eventId: eventId, eventName: DomainEventKind.patientMerged.rawValue)
  }
}
