/// A progress report of a running load generation (about once a second).
public struct LoadgenProgress: Sendable, Equatable {
  /// Events published so far.
  public var published: Int
  /// PubAcks received so far.
  public var acknowledged: Int
  /// Failed publishes so far.
  public var errors: Int
  /// Seconds since the first publish.
  public var elapsedSeconds: Double
}
