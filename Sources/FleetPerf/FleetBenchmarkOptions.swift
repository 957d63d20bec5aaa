import Foundation
import NATS

/// What `FleetBenchmark` measures and where: the charge-capture service in-process with a real
/// SQLite ledger (WAL) in `workDirectory`, against the server of `client`.
public struct FleetBenchmarkOptions: Sendable {
  /// Connection settings (the service and the publishers use them).
  public var client: NATSClientOptions
  /// The topology folder (`streams/` of the repository: `streams/*.json`, `consumers/*.json`).
  public var streamsDirectory: String
  /// Where the ledger file goes (a fresh file per run, removed afterwards unless `keepLedger`).
  public var workDirectory: String
  /// Events the service must process in the throughput phase (all preloaded before it starts).
  public var throughputEvents: Int
  /// Publish rate of the latency phase, events per second (all kinds of the flow mix).
  public var latencyRate: Double
  /// Length of the latency phase.
  public var latencyDuration: Duration
  /// Seed of the generated events (the latency phase uses `seed + 1`).
  public var seed: UInt64
  /// The service's pull batch (`BATCH_SIZE`).
  public var batchSize: Int
  /// Delete the benchmark's streams first when they exist (otherwise existing streams are an error:
  /// use a throw-away server).
  public var resetStreams: Bool
  /// Keep the ledger file after the run.
  public var keepLedger: Bool
  /// The whole run stops (with an error) after this long.
  public var timeLimit: Duration
  /// The pid of a local nats-server, to report its CPU per event in the throughput phase
  /// (read from /proc; nil: not reported).
  public var serverPID: Int32?
  /// Drain a separate preload ack-only first (`TransportBaseline`), to report what the transport
  /// alone achieves.
  public var transportBaseline: Bool

  /// Creates options with the documented defaults: 20,000 events, 2,000 events/s for 10 s.
  public init(
    client: NATSClientOptions, streamsDirectory: String,
    workDirectory: String = FileManager.default.temporaryDirectory.path, throughputEvents: Int = 20_000,
    latencyRate: Double = 2_000, latencyDuration: Duration = .seconds(10), seed: UInt64 = 7,
    batchSize: Int = 256, resetStreams: Bool = false, keepLedger: Bool = false,
    timeLimit: Duration = .seconds(900), serverPID: Int32? = nil, transportBaseline: Bool = true
  ) {
    self.client = client
    self.streamsDirectory = streamsDirectory
    self.workDirectory = workDirectory
    self.throughputEvents = throughputEvents
    self.latencyRate = latencyRate
    self.latencyDuration = latencyDuration
    self.seed = seed
    self.batchSize = batchSize
    self.resetStreams = resetStreams
    self.keepLedger = keepLedger
    self.timeLimit = timeLimit
    self.serverPID = serverPID
    self.transportBaseline = transportBaseline
  }

  /// Checks the values; throws `PerfError(.invalidOption)` naming the first bad one.
  public func validate() throws(PerfError) {
    if throughputEvents < 1 || throughputEvents > 10_000_000 {
      throw PerfError(.invalidOption, "throughput events must be 1…10,000,000, got \(throughputEvents)")
    }
    if !(latencyRate.isFinite && latencyRate >= 0 && latencyRate <= 1_000_000) {
      throw PerfError(.invalidOption, "latency rate must be 0…1,000,000 events/s, got \(latencyRate)")
    }
    if latencyDuration < .zero || latencyDuration > .seconds(3600) {
      throw PerfError(.invalidOption, "latency duration must be 0…3600 s")
    }
    if batchSize < 1 || batchSize > 10_000 {
      throw PerfError(.invalidOption, "batch size must be 1…10,000, got \(batchSize)")
    }
    if timeLimit <= .zero { throw PerfError(.invalidOption, "time limit must be positive") }
    if let serverPID, ProcessCPU.seconds(pid: serverPID) == nil {
      throw PerfError(.invalidOption, "no readable /proc/\(serverPID)/stat for the server pid")
    }
  }
}
