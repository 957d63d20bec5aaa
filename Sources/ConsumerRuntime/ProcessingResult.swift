/// What happened when the runtime tried to apply one message.
public enum ProcessingResult: Sendable, Equatable {
  /// Effects and ledger row committed.
  case processed
  /// The ledger already holds a processed row for the event's dedupe key.
  case duplicate
  /// May succeed on a later delivery (busy database, referenced row missing, "429").
  case transientFailure(String)
  /// Will never succeed (bad envelope, unknown type, wrong tenant, rule violation, "4xx").
  case permanentFailure(String)

  /// A bounded label for metrics: `processed`, `duplicate`, `transient` or `permanent`.
  public var label: String {
    switch self {
    case .processed: return "processed"
    case .duplicate: return "duplicate"
    case .transientFailure: return "transient"
    case .permanentFailure: return "permanent"
    }
  }
}
