import Foundation
import Histogram

/// Percentiles of a latency distribution in microseconds, read from an HdrHistogram.
public struct LatencySummary: Sendable, Codable, Equatable {
  /// How many samples were recorded.
  public var count: UInt64
  /// Median, µs.
  public var p50: Double
  /// 90th percentile, µs.
  public var p90: Double
  /// 99th percentile, µs.
  public var p99: Double
  /// 99.9th percentile, µs.
  public var p999: Double
  /// Largest sample, µs.
  public var max: Double
  /// Mean, µs.
  public var mean: Double

  /// Creates a summary from explicit values (µs).
  public init(count: UInt64, p50: Double, p90: Double, p99: Double, p999: Double, max: Double, mean: Double) {
    self.count = count
    self.p50 = p50
    self.p90 = p90
    self.p99 = p99
    self.p999 = p999
    self.max = max
    self.mean = mean
  }

  /// Reads a histogram whose values are nanoseconds. An empty histogram gives all zeros.
  public init(nanoseconds histogram: Histogram<UInt64>) {
    guard histogram.totalCount > 0 else {
      self.init(count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0)
      return
    }
    func us(_ ns: UInt64) -> Double { Double(ns) / 1_000 }
    self.init(
      count: histogram.totalCount, p50: us(histogram.valueAtPercentile(50)),
      p90: us(histogram.valueAtPercentile(90)), p99: us(histogram.valueAtPercentile(99)),
      p999: us(histogram.valueAtPercentile(99.9)), max: us(histogram.max), mean: histogram.mean / 1_000)
  }

  /// `p50 … µs, p90 …, p99 …, p99.9 …, max …` with values above 10 ms shown in ms.
  public var text: String {
    "p50 \(Self.show(p50)), p90 \(Self.show(p90)), p99 \(Self.show(p99)), p99.9 \(Self.show(p999)), max \(Self.show(max))"
  }

  static func show(_ microseconds: Double) -> String {
    if microseconds >= 10_000 { return String(format: "%.1f ms", microseconds / 1_000) }
    return String(format: "%.0f µs", microseconds)
  }
}
