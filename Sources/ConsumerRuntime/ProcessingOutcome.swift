/// What `EventProcessor.process` did with a message in the end.
public enum ProcessingOutcome: Sendable, Equatable {
  /// Committed, then acknowledged.
  case processed
  /// Already in the ledger: skipped and acknowledged.
  case duplicate
  /// Transient failure: NAK'ed with this delay for another delivery.
  case retryScheduled(Duration)
  /// Dead letter stored, ledger row 'failed' committed, message terminated.
  case deadLettered(retryCount: Int)
  /// The dead letter (or its ledger row) could not be stored: NAK'ed so it is tried again later.
  case deadLetterDeferred

  /// A bounded label for metrics.
  public var label: String {
    switch self {
    case .processed: return "processed"
    case .duplicate: return "duplicate"
    case .retryScheduled: return "retry_scheduled"
    case .deadLettered: return "dead_lettered"
    case .deadLetterDeferred: return "dead_letter_deferred"
    }
  }
}
