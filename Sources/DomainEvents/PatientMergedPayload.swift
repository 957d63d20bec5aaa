/// `payload` of `pm_patient_merged` (002 §4; fields fixed by DESIGN §4): UUIDs and a timestamp only.
/// `entity_id` equals `merge_log_id` (the dedupe key) and `organization_id` equals
/// `metadata.organization_id`.
public struct PatientMergedPayload: Codable, Sendable, Hashable {
  /// The merge log row (UUID), equal to `merge_log_id`.
  public var entity_id: String
  /// Always `patient_merge`.
  public var entity_type: String
  /// pm_patient_merge_log.id (UUID), the idempotency key.
  public var merge_log_id: String
  /// The surviving pm_patients.id (UUID).
  public var survivor_patient_id: String
  /// The merged (deactivated) pm_patients.id (UUID).
  public var merged_patient_id: String
  /// Tenant (UUID), equal to `metadata.organization_id`.
  public var organization_id: String
  /// RFC 3339 date-time of the merge commit.
  public var occurred_at: String
  /// Always 1.
  public var schema_version: Int

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "patient_merge", merge_log_id: String,
    survivor_patient_id: String, merged_patient_id: String, organization_id: String, occurred_at: String,
    schema_version: Int = 1
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.merge_log_id = merge_log_id
    self.survivor_patient_id = survivor_patient_id
    self.merged_patient_id = merged_patient_id
    self.organization_id = organization_id
    self.occurred_at = occurred_at
    self.schema_version = schema_version
  }
}
