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
    self.organizationId = organizationId.lowercased()
    self.survivorPatientId = survivorPatientId.lowercased()
    self.mergedPatientId = mergedPatientId.lowercased()
    self.eventId = eventId
    self.eventName = eventName
  }
}
