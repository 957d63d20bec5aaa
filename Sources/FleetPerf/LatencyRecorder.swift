import Histogram
import Synchronization

/// A thread-safe HdrHistogram of durations in nanoseconds (1 ns … 10 min, 3 significant digits).
/// Values above the range are clamped to it, so recording never fails.
final class LatencyRecorder: Sendable {
  static let highestNanoseconds: UInt64 = 600 * 1_000_000_000

  private let histogram = Mutex(
    Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: LatencyRecorder.highestNanoseconds))

  /// Records one duration (negative counts as zero).
  func record(_ duration: Duration) {
    let ns = Self.nanoseconds(duration)
    histogram.withLock { _ = $0.record(ns) }
  }

  /// Records many durations under one lock.
  func record(_ durations: [Duration]) {
    guard !durations.isEmpty else { return }
    histogram.withLock { h in
      for d in durations { _ = h.record(Self.nanoseconds(d)) }
    }
  }

  /// The percentiles so far.
  var summary: LatencySummary { histogram.withLock { LatencySummary(nanoseconds: $0) } }

  /// A copy of the histogram.
  var snapshot: Histogram<UInt64> { histogram.withLock { $0 } }

  static func nanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 { return 0 }
    let ns = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if ns.overflow { return highestNanoseconds }
    let total = ns.partialValue + attoseconds / 1_000_000_000
    return Swift.min(Swift.max(UInt64(clamping: total), 1), highestNanoseconds)
  }
}
