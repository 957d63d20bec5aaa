/// Counters of one client, over all its connections.
public struct NATSStatistics: Sendable {
  /// `MSG`/`HMSG` frames received (one per subscription a message matched).
  public var inMessages = 0
  /// Header and payload bytes of those frames.
  public var inBytes = 0
  /// Messages published (queued for the server).
  public var outMessages = 0
  /// Header and payload bytes of those messages.
  public var outBytes = 0
  /// Reconnects so far.
  public var reconnects = 0

  /// All counters at zero.
  public init() {}
}
