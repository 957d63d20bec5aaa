/// A business flow the load generator plays: a short, causally ordered sequence of events about
/// the same organization and entities. Steps of one flow are spread over later events, interleaved
/// with other flows.
public enum FlowKind: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
  /// `REGISTRATION.encounter.registered` → (`status-changed` planned → arrived) →
  /// `progress_note_signed` for the same encounter and organization → sometimes `status-changed`
  /// arrived → finished. A few encounters are cancelled instead (no note).
  case encounterThenNote
  /// `pm_referral_accepted`: priorities and service types mixed, some without `chart_id`.
  case referralAccepted
  /// A CE-29 conversion (`ce_lead_converted_to_patient`, `_to_resident`, `lead_to_both`, or the
  /// deprecated `ce_lead_converted`) → `REGISTRATION.patient.created` carrying the conversion's
  /// correlation id → sometimes `pm_patient_merged` + `REGISTRATION.patient.merged` → sometimes
  /// `REGISTRATION.patient.unmerged` of the same pair.
  case leadConversion
  /// `cl_crisis_episode_opened` (risk high, imminent or moderate) → `cl_crisis_episode_resolved`
  /// with a crisis billing code and duration.
  case crisis
  /// `cl_restraint_event_initiated` → `cl_restraint_event_terminated` (some exceed the age-based
  /// limit, some still require a face-to-face evaluation).
  case restraint
  /// Automated alerts: `cl_assessment_expired`, `cl_moud_monitoring_overdue` (→ sometimes
  /// `cl_moud_adherence_risk`), `cl_care_gap_identified` → sometimes `cl_care_gap_closed`.
  case clinicalAlerts
  /// `fa_program_cost_allocated` for one of the organization's programs.
  case costAllocation
  /// `REGISTRATION.patient.updated`, `vital-status-changed` (sometimes corrected later),
  /// `duplicate-detected`, and an unidentified `patient.created` → `unidentified-duplicate-review`.
  case registrationMisc
}
