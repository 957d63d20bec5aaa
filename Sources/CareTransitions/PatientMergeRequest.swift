/// A merge to apply, from either `pm_patient_merged` or `REGISTRATION.patient.merged`; ids lowercased.
struct PatientMergeRequest: Sendable, Equatable {
  /// `merge_log_id` (PM) or `registration:<CloudEvents id>` (REGISTRATION).
  var mergeKey: String
  /// The tenant.
  var organizationId: String
  /// The surviving patient.
  var survivorPatientId: String
  /// The merged (deactivated) patient.
  var mergedPatientId: String
  /// The event that carried the merge.
  var eventId: String
  /// Its event name.
  var eventName: String

  init(
    mergeKey: String, organizationId: String, survivorPatientId: String, mergedPatientId: String,
    eventId: String,
    eventName: String
  ) {
    self.mergeKey = mergeKey
    self.organizationId = organizationId.lowercased()
    self.survivorPatientId = survivorPatientId.lowercased()
    self.mergedPatientId = mergedPatientId.lowercased()
    self.eventId = eventId
    self.eventName = eventName
  }
}
