/// The five peer-benchmark workloads (bench-peers/README.md), named as on the command line.
public enum BenchWorkload: String, Sendable, CaseIterable, Codable {
  /// Publish N messages to `peerbench.core`, then flush (PING/PONG); all of it timed.
  case corePub = "core_pub"
  /// Publisher and subscriber on two connections; timed until the subscriber has message N.
  case corePubSub = "core_pubsub"
  /// JetStream async publish to `bench.js` with unique `Nats-Msg-Id`s and a bounded window;
  /// timed until every PubAck arrived.
  case jsPubAsync = "js_pub_async"
  /// JetStream publish, each waiting for its PubAck; reports p50/p99 of one round trip.
  case jsPubSync = "js_pub_sync"
  /// Durable pull consumer `BENCHC` on the WorkQueue stream `BENCH`: fetch batches, ack each
  /// message, timed until the stream is empty.
  case jsPullAck = "js_pull_ack"

  /// The harness's default N for the workload.
  public var defaultCount: Int {
    switch self {
    case .corePub: 1_000_000
    case .corePubSub: 500_000
    case .jsPubAsync: 200_000
    case .jsPubSync: 20_000
    case .jsPullAck: 200_000
    }
  }

  /// Whether the workload needs the stream `BENCH` (created by the harness before it starts).
  public var usesJetStream: Bool { self != .corePub && self != .corePubSub }
}
