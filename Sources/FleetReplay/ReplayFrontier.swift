/// The checkpoint position: the last source position such that it and every earlier one were
/// settled without failure. Outcomes are recorded in source order; the first failure freezes the
/// position, so a resume starts at the failed message (the messages after it that did get through
/// are re-sent with the same message id and deduplicated, or skipped by the consumers' ledgers).
struct ReplayFrontier: Sendable, Hashable {
  /// The last completed position (`nil` before the first).
  private(set) var position: UInt64?
  /// Whether a failure stopped the position.
  private(set) var frozen = false

  /// Starts after `position` (a resumed run starts after the checkpoint's position).
  init(resumingAfter position: UInt64? = nil) {
    self.position = position
  }

  /// Records the outcome of the message at `position` (positions arrive in increasing order).
  mutating func record(_ position: UInt64, failed: Bool) {
    if failed { frozen = true }
    guard !frozen else { return }
    if let current = self.position, current >= position { return }
    self.position = position
  }
}
