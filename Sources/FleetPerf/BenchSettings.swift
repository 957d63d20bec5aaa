/// The harness knobs every peer reads from its environment: message size, async-publish window,
/// fetch batch and the program's own deadline. Names and defaults as in bench-peers/README.md.
public struct BenchSettings: Sendable, Equatable {
  /// `BENCH_SIZE`: payload bytes (default 128).
  public var size: Int
  /// `BENCH_INFLIGHT`: unacknowledged async publishes allowed (default 4096).
  public var inflight: Int
  /// `BENCH_BATCH`: messages per fetch (default 256).
  public var batch: Int
  /// `BENCH_DEADLINE_S`: the run stops by itself after this long (default 120 s).
  public var deadline: Duration
  /// `BENCH_STREAM`: the stream name (default `BENCH`).
  public var stream: String

  /// The core subject.
  public static let coreSubject = "peerbench.core"
  /// The JetStream subject.
  public static let jetStreamSubject = "bench.js"
  /// The pull consumer's durable name.
  public static let durable = "BENCHC"
  /// The client name in RESULT lines.
  public static let clientName = "swift-nats"

  /// Creates settings with the harness defaults unless given.
  public init(
    size: Int = 128, inflight: Int = 4096, batch: Int = 256, deadline: Duration = .seconds(120),
    stream: String = "BENCH"
  ) {
    self.size = size
    self.inflight = inflight
    self.batch = batch
    self.deadline = deadline
    self.stream = stream
  }

  /// Reads `BENCH_SIZE`, `BENCH_INFLIGHT`, `BENCH_BATCH`, `BENCH_DEADLINE_S` and `BENCH_STREAM`;
  /// missing or unparsable values keep their defaults, out-of-range values are clamped
  /// (size 0…8 MiB, inflight and batch 1…1M, deadline 1 s…1 day).
  public init(environment: [String: String]) {
    func int(_ name: String) -> Int? {
      environment[name].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
    self.init()
    if let v = int("BENCH_SIZE") { size = min(max(v, 0), 8 * 1024 * 1024) }
    if let v = int("BENCH_INFLIGHT") { inflight = min(max(v, 1), 1_000_000) }
    if let v = int("BENCH_BATCH") { batch = min(max(v, 1), 1_000_000) }
    if let v = int("BENCH_DEADLINE_S") { deadline = .seconds(min(max(v, 1), 86_400)) }
    if let v = environment["BENCH_STREAM"], !v.isEmpty { stream = v }
  }

  /// The payload every workload sends: `size` bytes of `abc…zabc…`, as the other peers.
  public var payload: [UInt8] { (0..<size).map { UInt8(ascii: "a") + UInt8($0 % 26) } }
}
