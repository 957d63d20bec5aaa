/// The outcome of publishing a JSON-lines input: counts, plus every line that was not stored.
public struct JSONLinesReport: Sendable, Hashable {
  /// A line that was not published, and why.
  public struct LineError: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number in the input.
    public var line: Int
    /// Why (the rule broken, or the publish failure); never payload bytes.
    public var reason: String

    /// Creates a line error.
    public init(line: Int, reason: String) {
      self.line = line
      self.reason = reason
    }

    /// `line <n>: <reason>`.
    public var description: String { "line \(line): \(reason)" }
  }

  /// A line whose PubAck said `duplicate`: the stream already held a message with its id.
  public struct Duplicate: Sendable, Hashable {
    /// The 1-based line number.
    public var line: Int
    /// The event id (the `Nats-Msg-Id`).
    public var eventID: String
    /// The stream sequence of the copy already stored.
    public var streamSequence: UInt64

    /// Creates a duplicate record.
    public init(line: Int, eventID: String, streamSequence: UInt64) {
      self.line = line
      self.eventID = eventID
      self.streamSequence = streamSequence
    }
  }

  /// Non-blank lines read.
  public var read = 0
  /// Lines stored by the stream as new messages.
  public var published = 0
  /// Lines acknowledged as duplicates (not stored again).
  public var duplicates = 0
  /// Lines refused before sending (not JSON, not a CloudEvent, breaking their contract, no subject).
  public var invalid = 0
  /// Valid lines whose publish failed (timeout, API error, disconnected).
  public var failed = 0
  /// Blank lines skipped (not counted in `read`).
  public var blank = 0
  /// The invalid and failed lines, in line order.
  public var errors: [LineError] = []
  /// The duplicate lines, in line order.
  public var duplicateLines: [Duplicate] = []

  /// Creates an empty report.
  public init() {}

  /// Whether every line read was stored (new or duplicate).
  public var isClean: Bool { invalid == 0 && failed == 0 }
}
