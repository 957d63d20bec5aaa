import Synchronization

/// A value that goes up and down, exported as a Prometheus `gauge`. Thread-safe without locks.
public final class Gauge: Sendable {
  private let bits = Atomic<UInt64>(0.0.bitPattern)

  /// Creates a gauge at zero; ``MetricsRegistry/gauge(_:help:labels:)`` creates the exported ones.
  public init() {}

  /// Replaces the value.
  public func set(_ value: Double) {
    bits.store(value.bitPattern, ordering: .relaxed)
  }

  /// Adds `delta` (negative to subtract), for example in-flight counts.
  public func add(_ delta: Double) {
    var current = bits.load(ordering: .relaxed)
    while true {
      let next = (Double(bitPattern: current) + delta).bitPattern
      let (exchanged, original) = bits.compareExchange(
        expected: current, desired: next, ordering: .relaxed)
      if exchanged { return }
      current = original
    }
  }

  /// The current value.
  public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}
