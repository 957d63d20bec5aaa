/// `payload` of the CE-29 conversions `ce_lead_converted_to_patient`, `ce_lead_converted_to_resident` and
/// the deprecated `ce_lead_converted` (000; fields fixed by DESIGN §4). `entity_id` equals `lead_id` and
/// `organization_id` equals `metadata.organization_id`. Dedupe key:
/// `<organization_id>/<lead_id>/<conversion_type>/<correlation_id>`.
public struct LeadConvertedPayload: Codable, Sendable, Hashable {
  /// The lead (UUID), equal to `lead_id`.
  public var entity_id: String
  /// Always `lead`.
  public var entity_type: String
  /// ce_leads.id (UUID).
  public var lead_id: String
  /// Tenant (UUID), equal to `metadata.organization_id`.
  public var organization_id: String
  /// `lead_to_patient`, `lead_to_resident` or `lead_to_both`.
  public var conversion_type: String
  /// Idempotency key `{lead_id}_to_{conversion_type}_{timestamp}` (free text).
  public var correlation_id: String
  /// Patient created by PM-01 (UUID), when known.
  public var patient_id: String?
  /// Resident created by RH-01 (UUID), when known.
  public var resident_id: String?
  /// User who triggered the conversion (UUID).
  public var converted_by: String
  /// Optional notes, at most 500 characters.
  public var notes: String?
  /// Extension point (JSON object).
  public var custom_fields: [String: EventJSONValue]?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "lead", lead_id: String, organization_id: String,
    conversion_type: String, correlation_id: String, patient_id: String? = nil, resident_id: String? = nil,
    converted_by: String, notes: String? = nil, custom_fields: [String: EventJSONValue]? = nil
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.lead_id = lead_id
    self.organization_id = organization_id
    self.conversion_type = conversion_type
    self.correlation_id = correlation_id
    self.patient_id = patient_id
    self.resident_id = resident_id
    self.converted_by = converted_by
    self.notes = notes
    self.custom_fields = custom_fields
  }
}
