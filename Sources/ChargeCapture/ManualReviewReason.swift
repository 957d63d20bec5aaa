/// Why a charge suggestion was left for manual review instead of being posted (stored as a JSON
/// array in `pm_charge_suggestions.review_reasons`).
public enum ManualReviewReason: String, Codable, Sendable, Equatable, CaseIterable {
  /// The organization's `auto_post_enabled` is off.
  case autoPostDisabled = "auto_post_disabled"
  /// A billing code is on the high-risk list and `auto_post_high_risk_codes` is off.
  case highRiskCodes = "high_risk_codes"
  /// A crisis suggestion without a linked encounter: a charge needs an encounter to be claimed.
  case noEncounter = "no_encounter"
  /// The same note or crisis episode already has a suggestion (a re-signed note or a re-sent
  /// disposition under a new event id): posting again could bill the service twice.
  case alreadySuggested = "already_suggested"
}
