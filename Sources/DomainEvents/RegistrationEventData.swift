/// What every REGISTRATION data object provides: its tenant and the domain id that, with the
/// CloudEvents id, forms the dedupe key (001 §4).
protocol RegistrationEventData: Encodable, Sendable {
  /// The tenant (`tenantId`).
  var tenantId: String { get }
  /// The domain id of the dedupe key: patientId, encounterId, survivorId, newPatientId or tenantId.
  var domainId: String { get }
}

extension PatientCreatedData: RegistrationEventData {
  var domainId: String { patientId }
}

extension PatientUpdatedData: RegistrationEventData {
  var domainId: String { patientId }
}

extension PatientVitalStatusChangedData: RegistrationEventData {
  var domainId: String { patientId }
}

extension DuplicateDetectedData: RegistrationEventData {
  /// No patient row exists for a detected duplicate, so the tenant stands in.
  var domainId: String { tenantId }
}

extension UnidentifiedDuplicateReviewData: RegistrationEventData {
  var domainId: String { newPatientId }
}

extension PatientMergedData: RegistrationEventData {
  var domainId: String { survivorId }
}

extension PatientUnmergedData: RegistrationEventData {
  var domainId: String { survivorId }
}

extension EncounterRegisteredData: RegistrationEventData {
  var domainId: String { encounterId }
}

extension EncounterStatusChangedData: RegistrationEventData {
  var domainId: String { encounterId }
}
