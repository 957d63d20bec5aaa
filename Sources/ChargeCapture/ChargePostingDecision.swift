/// The outcome of the auto-post guard for one suggestion.
public struct ChargePostingDecision: Sendable, Equatable {
  /// The suggestion's billing codes that are on the high-risk list in effect, in payload order.
  public var highRiskCodes: [String]
  /// Why the suggestion is held for review; empty when it may be posted.
  public var reviewReasons: [ManualReviewReason]

  /// Creates a decision.
  public init(highRiskCodes: [String], reviewReasons: [ManualReviewReason]) {
    self.highRiskCodes = highRiskCodes
    self.reviewReasons = reviewReasons
  }

  /// True when the suggestion goes straight to `pm_charges` (status `auto_posted`).
  public var autoPost: Bool { reviewReasons.isEmpty }

  /// `auto_posted` or `pending_review`.
  public var status: String { autoPost ? "auto_posted" : "pending_review" }

  /// Severity of the billing notification: `warning` when high-risk codes are present, else `info`.
  public var notificationSeverity: String { highRiskCodes.isEmpty ? "info" : "warning" }

  /// The same decision with `reason` added (kept once, in first-seen order).
  public func holding(_ reason: ManualReviewReason) -> ChargePostingDecision {
    var copy = self
    if !copy.reviewReasons.contains(reason) { copy.reviewReasons.append(reason) }
    return copy
  }
}
