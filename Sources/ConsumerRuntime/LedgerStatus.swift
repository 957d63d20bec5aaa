/// Status of a ledger row.
public enum LedgerStatus: String, Sendable, Codable, CaseIterable {
  /// Effects committed; a redelivery is a duplicate.
  case processed
  /// Dead-lettered; a re-drive may still process it.
  case failed
}
