import Synchronization

/// A distribution of observed durations (in seconds) over fixed buckets, exported as a Prometheus
/// `histogram` with cumulative `_bucket{le=...}` series, `_sum` and `_count`.
public final class Histogram: Sendable {
  /// The finite upper bounds, ascending and without duplicates; `+Inf` is implied.
  public let upperBounds: [Double]
  private let state: Mutex<HistogramState>

  /// Creates an empty histogram; bounds that are not finite are dropped, the rest sorted and deduplicated.
  public init(buckets: [Double]) {
    let bounds = Array(Set(buckets.filter(\.isFinite))).sorted()
    self.upperBounds = bounds
    self.state = Mutex(HistogramState(bucketCounts: Array(repeating: 0, count: bounds.count + 1)))
  }

  /// Records one observation; NaN is ignored.
  public func observe(_ seconds: Double) {
    guard !seconds.isNaN else { return }
    let index = upperBounds.firstIndex(where: { seconds <= $0 }) ?? upperBounds.count
    state.withLock { state in
      state.bucketCounts[index] &+= 1
      state.count &+= 1
      state.sum += seconds
    }
  }

  /// How many observations were recorded.
  public var count: Int { state.withLock { $0.count } }

  /// The sum of all observations.
  public var sum: Double { state.withLock { $0.sum } }

  /// A consistent copy: cumulative counts per bound (the last entry is `+Inf`), sum and count.
  func snapshot() -> (cumulativeCounts: [Int], sum: Double, count: Int) {
    let copy = state.withLock { $0 }
    var running = 0
    let cumulative = copy.bucketCounts.map { count in
      running &+= count
      return running
    }
    return (cumulative, copy.sum, copy.count)
  }
}

/// The mutable part of a ``Histogram``: counts per bucket (not cumulative), sum and count.
struct HistogramState: Sendable {
  var bucketCounts: [Int]
  var sum: Double = 0
  var count: Int = 0
}
