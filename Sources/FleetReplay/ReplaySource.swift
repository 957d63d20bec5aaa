/// What a replay reads.
public enum ReplaySource: Sendable, Hashable, CustomStringConvertible {
  /// A history stream range, read with an ephemeral pull consumer (no acks, batch fetch).
  case stream(ReplayStreamRange)
  /// A JSON-lines file: one structured-mode CloudEvent per line (blank lines are skipped).
  case jsonLines(path: String)
  /// Dead letters: each letter's original envelope (its `ce-*` headers and body).
  case deadLetters(ReplayDeadLetterSelection)

  /// `stream CL_PM_EVENTS`, `file events.jsonl`, `dlq DLQ (charge-capture)`.
  public var description: String {
    switch self {
    case .stream(let range):
      var text = "stream \(range.stream) from \(range.start)"
      if let end = range.end { text += " to \(end)" }
      return text
    case .jsonLines(let path): return "file \(path)"
    case .deadLetters(let selection):
      return "dlq \(selection.stream)" + (selection.service.map { " (\($0))" } ?? "")
    }
  }

  /// What a position means for this source (for messages and the checkpoint).
  var positionUnit: String {
    switch self {
    case .stream, .deadLetters: return "seq"
    case .jsonLines: return "line"
    }
  }
}
