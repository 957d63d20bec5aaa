import Synchronization

/// A monotonically increasing count, exported as a Prometheus `counter`. Thread-safe without locks.
public final class Counter: Sendable {
  private let storage = Atomic<Int>(0)

  /// Creates a counter at zero; ``MetricsRegistry/counter(_:help:labels:)`` creates the exported ones.
  public init() {}

  /// Adds `amount`; a counter never goes down, so zero or negative amounts are ignored.
  public func increment(by amount: Int = 1) {
    guard amount > 0 else { return }
    storage.wrappingAdd(amount, ordering: .relaxed)
  }

  /// The current count.
  public var value: Int { storage.load(ordering: .relaxed) }
}
