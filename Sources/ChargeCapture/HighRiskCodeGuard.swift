/// The compliance guard of seed 003 (Event 1 step 4, reused by Event 4): a suggestion is
/// auto-posted to `pm_charges` only when `auto_post_enabled` is true AND (no billing code is on the
/// high-risk list OR `auto_post_high_risk_codes` is true). Everything else is held for review.
public enum HighRiskCodeGuard {
  /// The default high-risk list (the same list everywhere the guard is implemented): crisis
  /// psychotherapy, interactive complexity, and HCPCS codes that draw payer audit or need prior
  /// authorization. An organization's non-empty `auto_post_high_risk_codes_list` replaces it.
  public static let defaultCodes: [String] = [
    "90839", "90840", "90785", "H0038", "H2035", "H0004", "T1017", "96127",
  ]

  /// Applies the guard to `billingCodes` under `rules`.
  public static func evaluate(billingCodes: [String], rules: BillingRules) -> ChargePostingDecision {
    var hits: [String] = []
    for code in billingCodes.map(BillingCode.normalized) where rules.highRiskCodes.contains(code) {
      if !hits.contains(code) { hits.append(code) }
    }
    var reasons: [ManualReviewReason] = []
    if !rules.autoPostEnabled { reasons.append(.autoPostDisabled) }
    if !hits.isEmpty && !rules.autoPostHighRiskCodes { reasons.append(.highRiskCodes) }
    return ChargePostingDecision(highRiskCodes: hits, reviewReasons: reasons)
  }
}
