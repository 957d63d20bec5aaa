/// Why a replay could not start or had to stop. Per-message problems never throw: they are
/// counted in the ``ReplaySummary`` (skipped or failed) with their position.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Code: String, Sendable, Hashable {
    /// The options contradict each other or name something invalid.
    case invalidOptions
    /// The checkpoint file cannot be read, written, or does not belong to this replay.
    case checkpoint
    /// The source (stream, file, DLQ) cannot be opened.
    case sourceUnavailable
    /// The source failed while being read (the checkpoint holds the last completed position).
    case sourceFailed
    /// No stream stores the target subject, so every publish would fail.
    case targetUnavailable
  }

  /// The kind of failure.
  public var code: Code
  /// A human-readable message (ids and positions only, never payloads).
  public var message: String
  /// The underlying error, if any.
  public var cause: (any Error)?

  /// Creates an error.
  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  /// `replay <code>: <message>[ (cause)]`.
  public var description: String {
    if let cause { return "replay \(code.rawValue): \(message) (\(cause))" }
    return "replay \(code.rawValue): \(message)"
  }
}
