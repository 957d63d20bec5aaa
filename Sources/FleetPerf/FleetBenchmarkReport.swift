import Foundation

/// The fleet benchmark's numbers for one service, with the targets they are held against.
public struct FleetBenchmarkReport: Sendable, Codable, Equatable {
  /// The service measured.
  public var service: String
  /// Events processed in the throughput phase (ledger `processed` rows from that phase).
  public var throughputEvents: Int
  /// From the first commit to the last commit of an event processed on its first delivery,
  /// seconds (see `throughputRetriedEvents`).
  public var throughputSeconds: Double
  /// Events committed on their first delivery per second over `throughputSeconds`.
  public var eventsPerSecond: Double
  /// From the service start (work queue full) to the last commit, seconds; includes start-up.
  public var wallSeconds: Double
  /// Events of the throughput phase processed only after a retry. They commit after their NAK
  /// delay (1 s, 2 s, 4 s), set by the retry policy, so the throughput is timed without them.
  /// Nil in reports written before it was measured.
  public var throughputRetriedEvents: Int? = nil
  /// From the first to the last commit of the throughput phase, retried events included, seconds.
  public var allCommitsSeconds: Double? = nil
  /// Ledger rows with status `processed` at the end of the throughput phase.
  public var ledgerProcessedRows: Int
  /// The ledger's SQLite journal mode (`wal` expected).
  public var ledgerJournalMode: String
  /// Target publish rate of the latency phase, events/s (all kinds).
  public var latencyRate: Double
  /// Achieved publish rate of the latency phase, events/s (all kinds).
  public var latencyAchievedRate: Double
  /// Events of the service's kinds published in the latency phase.
  public var latencyEvents: Int
  /// Of those, how many were committed within the wait.
  public var latencyCommitted: Int
  /// End-to-end latency (publish call → ledger COMMIT of the effect), µs.
  public var latency: LatencySummary
  /// Throughput target, events/s.
  public var throughputTarget: Double
  /// Latency target for p99, µs.
  public var p99TargetMicroseconds: Double
  /// CPU (user + system) of the benchmark process per event, from the service's start to the
  /// last commit of the throughput phase, µs. Nil in reports written before it was measured.
  public var serviceCPUMicrosecondsPerEvent: Double? = nil
  /// The same for the nats-server process, when its pid was given (`--server-pid`).
  public var serverCPUMicrosecondsPerEvent: Double? = nil
  /// Processors available to this machine (both processes share them).
  public var cores: Int? = nil
  /// Ledger rows at the end of the whole run (both phases) processed only after a retry
  /// (`retry_count` > 0), and rows `failed` (should be 0). Retries are expected: a note can
  /// arrive before its encounter, since two history streams source the work queue with no order
  /// between them; charge-capture then retries it after 1 s (the latency phase's max).
  public var ledgerRetriedRows: Int? = nil
  public var ledgerFailedRows: Int? = nil
  /// The transport alone on the same topology (nil when not measured).
  public var transportBaseline: TransportBaseline? = nil
  /// The process's malloc (`MemoryAllocator`): jemalloc when preloaded, as the services are
  /// deployed. Nil in reports written before it was recorded.
  public var allocator: String? = nil

  /// CPU per event that `cores` allow at the throughput target, µs (service and server together).
  public var cpuBudgetMicrosecondsPerEvent: Double? {
    cores.map { Double($0) * 1e6 / throughputTarget }
  }

  /// Whether the throughput target was met.
  public var throughputTargetMet: Bool { eventsPerSecond >= throughputTarget }
  /// Whether the latency target was met (all events committed, p99 below target).
  public var latencyTargetMet: Bool {
    latencyEvents > 0 && latencyCommitted == latencyEvents && latency.p99 < p99TargetMicroseconds
  }

  /// A few lines for people.
  public var text: String {
    [
      String(
        format:
          "%@ throughput: %d events, %d on their first delivery in %.2f s = %.0f events/s (first commit → last first-delivery commit), target %.0f: %@",
        service, throughputEvents, throughputEvents - (throughputRetriedEvents ?? 0), throughputSeconds,
        eventsPerSecond, throughputTarget, throughputTargetMet ? "met" : "NOT met"),
      String(
        format:
          "%d retried after their NAK delay; all committed %.2f s after the first (%.2f s incl. start-up)",
        throughputRetriedEvents ?? 0, allCommitsSeconds ?? throughputSeconds, wallSeconds),
      "ledger: \(ledgerProcessedRows) processed rows, journal_mode=\(ledgerJournalMode)"
        + (ledgerRetriedRows.map {
          "; whole run: \($0) processed after a retry, \(ledgerFailedRows ?? 0) failed"
        } ?? ""),
      cpuLine,
      transportBaseline?.text,
      String(
        format:
          "end-to-end latency at %.0f events/s (achieved %.0f/s, %d of the service's events, %d committed): %@; p99 target %@: %@",
        latencyRate, latencyAchievedRate, latencyEvents, latencyCommitted, latency.text,
        LatencySummary.show(p99TargetMicroseconds), latencyTargetMet ? "met" : "NOT met"),
    ].compactMap { $0 }.joined(separator: "\n")
  }

  private var cpuLine: String? {
    guard let service = serviceCPUMicrosecondsPerEvent else { return nil }
    var line = String(format: "CPU per event in the throughput phase: service %.0f µs", service)
    if let server = serverCPUMicrosecondsPerEvent {
      line += String(format: ", nats-server %.0f µs, together %.0f µs", server, service + server)
    }
    if let cores, let budget = cpuBudgetMicrosecondsPerEvent {
      line += String(
        format: " (%d cores allow %.0f µs per event at %.0f events/s)", cores, budget, throughputTarget)
    }
    if let allocator { line += "; allocator: \(allocator)" }
    return line
  }

  /// The report as JSON (pretty, sorted keys).
  public func jsonData() throws(PerfError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      return try encoder.encode(self)
    } catch {
      throw PerfError(.io, "cannot encode the report", cause: error)
    }
  }
}
