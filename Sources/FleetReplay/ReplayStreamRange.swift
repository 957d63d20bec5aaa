/// A range of a history stream to replay: from `start` up to `end` (inclusive), or up to the
/// stream's last message at the time the replay starts.
public struct ReplayStreamRange: Sendable, Hashable {
  /// The history stream (e.g. `CL_PM_EVENTS`).
  public var stream: String
  /// Where to start: a sequence or a stored time.
  public var start: ReplayPosition
  /// Where to stop (inclusive); `nil` means the stream's last sequence when the replay starts.
  public var end: ReplayPosition?

  /// Creates a range; by default the whole stream.
  public init(stream: String, start: ReplayPosition = .sequence(1), end: ReplayPosition? = nil) {
    self.stream = stream
    self.start = start
    self.end = end
  }
}
