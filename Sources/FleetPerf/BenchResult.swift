import Foundation

/// One run of one workload, printable as the harness's `RESULT` line.
public struct BenchResult: Sendable, Equatable {
  /// Client name (`swift-nats`).
  public var client: String
  /// The workload.
  public var workload: BenchWorkload
  /// Messages asked for.
  public var n: Int
  /// Messages done: published and flushed, received, acknowledged; 0 when the run's check failed
  /// (errors or duplicate acks in js_pub_async, stream not empty after js_pull_ack), as the peers do.
  public var done: Int
  /// Payload size.
  public var size: Int
  /// The timed section, seconds.
  public var seconds: Double
  /// Extra `key=value` fields in order (`inflight`, `errs`, `dups`, `p50_us`, `p99_us`, `batch`,
  /// `stream_left`, `fetch_timeouts`).
  public var extra: [(String, String)]

  /// Creates a result.
  public init(
    client: String = BenchSettings.clientName, workload: BenchWorkload, n: Int, done: Int, size: Int,
    seconds: Double, extra: [(String, String)] = []
  ) {
    self.client = client
    self.workload = workload
    self.n = n
    self.done = done
    self.size = size
    self.seconds = seconds
    self.extra = extra
  }

  /// `done / seconds` (0 for a zero duration).
  public var messagesPerSecond: Double { seconds > 0 ? Double(done) / seconds : 0 }

  /// `done == n` (the harness's `ok=1`).
  public var ok: Bool { done == n }

  /// The value of an extra field.
  public func extraValue(_ key: String) -> String? { extra.first { $0.0 == key }?.1 }

  /// `RESULT client=… workload=… n=… done=… size=… secs=%.4f msgs_per_s=%.0f ok=0|1 [extras]`.
  public var resultLine: String {
    var line =
      "RESULT client=\(client) workload=\(workload.rawValue) n=\(n) done=\(done) size=\(size) "
      + "secs=\(String(format: "%.4f", seconds)) msgs_per_s=\(String(format: "%.0f", messagesPerSecond)) ok=\(ok ? 1 : 0)"
    for (key, value) in extra { line += " \(key)=\(value)" }
    return line
  }

  /// Compares everything; extras in order.
  public static func == (lhs: BenchResult, rhs: BenchResult) -> Bool {
    lhs.client == rhs.client && lhs.workload == rhs.workload && lhs.n == rhs.n && lhs.done == rhs.done
      && lhs.size == rhs.size && lhs.seconds == rhs.seconds && lhs.extra.map(\.0) == rhs.extra.map(\.0)
      && lhs.extra.map(\.1) == rhs.extra.map(\.1)
  }
}
