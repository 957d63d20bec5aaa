/// Which dead letters to re-drive from the DLQ stream.
public struct ReplayDeadLetterSelection: Sendable, Hashable {
  /// The DLQ stream.
  public var stream: String
  /// Only the letters of this service (`Fleet-DLQ-Service`, subject `dlq.<service>.>`); `nil` = all.
  public var service: String?
  /// Where to start in the DLQ stream; `nil` = its first message.
  public var start: ReplayPosition?

  /// The fleet's DLQ stream name.
  public static let defaultStream = "DLQ"

  /// Creates a selection; by default every letter in `DLQ`.
  public init(
    stream: String = ReplayDeadLetterSelection.defaultStream, service: String? = nil,
    start: ReplayPosition? = nil
  ) {
    self.stream = stream
    self.service = service
    self.start = start
  }
}
