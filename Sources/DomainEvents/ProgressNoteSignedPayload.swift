/// `payload` of `progress_note_signed` (003, Event 1): a signed progress note, for PM-07 charge capture.
/// UUIDs and billing metadata only.
public struct ProgressNoteSignedPayload: Codable, Sendable, Hashable {
  /// cl_progress_notes.id (UUID).
  public var entity_id: String
  /// Always `progress_note`.
  public var entity_type: String
  /// cl_patient_charts.id (UUID).
  public var chart_id: String
  /// pm_encounters.id (UUID).
  public var encounter_id: String
  /// pf_profiles.id of the signing clinician (UUID).
  public var rendering_provider_id: String
  /// ISO date `YYYY-MM-DD`.
  public var service_date: String
  /// CPT/HCPCS codes derived from the note type (at least one).
  public var billing_codes: [String]
  /// Modifier codes, e.g. `GT` for telehealth.
  public var modifiers: [String]?
  /// Actual session duration in minutes (≥ 0).
  public var duration_minutes: Int
  /// `individual`, `group`, `family` or `crisis`.
  public var note_type: String
  /// Whether the note needed a co-signature.
  public var requires_cosignature: Bool
  /// Whether the co-signature is complete.
  public var cosigned: Bool

  /// Creates the value; field names and meanings as in the seed.
  public init(
    entity_id: String, entity_type: String = "progress_note", chart_id: String, encounter_id: String,
    rendering_provider_id: String, service_date: String, billing_codes: [String], modifiers: [String]? = nil,
    duration_minutes: Int, note_type: String, requires_cosignature: Bool, cosigned: Bool
  ) {
    self.entity_id = entity_id
    self.entity_type = entity_type
    self.chart_id = chart_id
    self.encounter_id = encounter_id
    self.rendering_provider_id = rendering_provider_id
    self.service_date = service_date
    self.billing_codes = billing_codes
    self.modifiers = modifiers
    self.duration_minutes = duration_minutes
    self.note_type = note_type
    self.requires_cosignature = requires_cosignature
    self.cosigned = cosigned
  }
}
