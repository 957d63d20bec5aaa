/// `payload` of `pm_referral_accepted` (003, Event 2): PM accepted a referral; CL-12 creates a care
/// transition.
public struct ReferralAcceptedPayload: Codable, Sendable, Hashable {
  /// pm_referrals.id (UUID).
  public var entity_id: String
  /// Always `referral`.
  public var entity_type: String
  /// pm_patients.id (UUID).
  public var patient_id: String
  /// cl_patient_charts.id (UUID) when a chart already exists.
  public var chart_id: String?
  /// Referring provider (UUID).
  public var referring_provider_id: String
  /// Accepting provider (UUID).
  public var accepting_provider_id: String
  /// `inbound`, `outbound` or `internal`.
  public var referral_type: String
  /// e.g. `behavioral_health`, `substance_use`, `psychiatric`.
  public var service_type: String
  /// `routine`, `urgent` or `emergent`.
  public var priority: String
  /// Payer authorization number (free text).
  public var authorization_number: String?

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "referral", patient_id: String, chart_id: String? = nil,
    referring_provider_id: String, accepting_provider_id: String, referral_type: String, service_type: String,
    priority: String, authorization_number: String? = nil
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.patient_id = patient_id
    self.chart_id = chart_id
    self.referring_provider_id = referring_provider_id
    self.accepting_provider_id = accepting_provider_id
    self.referral_type = referral_type
    self.service_type = service_type
    self.priority = priority
    self.authorization_number = authorization_number
  }
}
