import Foundation

/// What a load generation run did: counts by kind, flow and invalidity, duplicates, errors,
/// throughput and PubAck latency. Encodes to the JSON summary file (keys sorted).
public struct LoadgenSummary: Sendable, Codable, Equatable {
  /// The profile seed.
  public var seed: UInt64
  /// Events handed to the connections (each one a message on its subject).
  public var published: Int
  /// Publishes confirmed by a PubAck.
  public var acknowledged: Int
  /// PubAcks that reported a duplicate (0 expected: redeliveries get a fresh message id).
  public var duplicateAcks: Int
  /// Publishes that failed (refused by the connection, timed out, or answered with an error).
  public var errors: Int
  /// Re-emitted earlier events (published with `Nats-Msg-Id: dup:<n>:<id>`).
  public var duplicates: Int
  /// Deliberately invalid events.
  public var invalid: Int
  /// Published events per contract kind (`type` of the CloudEvent; `unknown` for unknown types).
  public var byKind: [String: Int]
  /// Published events per flow.
  public var byFlow: [String: Int]
  /// Invalid events per way of being invalid.
  public var byInvalidity: [String: Int]
  /// Published events per subject.
  public var bySubject: [String: Int]
  /// Wall time from the first publish to the last PubAck, seconds.
  public var seconds: Double
  /// `acknowledged / seconds`.
  public var eventsPerSecond: Double
  /// The target rate, if one was set.
  public var targetRate: Double?
  /// Connections used.
  public var connections: Int
  /// In-flight window per connection.
  public var maxInFlight: Int
  /// PubAck latency (publish call → PubAck seen), µs.
  public var pubAckLatency: LatencySummary
  /// FNV-1a 64 of every published CloudEvents id in order, hex: equal for equal seeds.
  public var eventIDDigest: String
  /// First and last published CloudEvents ids.
  public var firstEventID: String?
  /// Last published CloudEvents id.
  public var lastEventID: String?
  /// Why the run stopped: `count`, `duration` or `error`.
  public var stoppedBy: String
  /// The first few error messages (ids only, never payloads).
  public var errorSamples: [String]

  /// The summary as JSON (pretty, sorted keys).
  public func jsonData() throws(PerfError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return try encoder.encode(self)
    } catch {
      throw PerfError(.io, "cannot encode the summary", cause: error)
    }
  }

  /// Writes `jsonData()` to `path` atomically.
  public func write(to path: String) throws(PerfError) {
    let data = try jsonData()
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw PerfError(.io, "cannot write the summary to \(path)", cause: error)
    }
  }

  /// A few lines for people.
  public var text: String {
    var lines: [String] = []
    lines.append(
      String(
        format: "published %d events in %.2f s: %.0f events/s acknowledged (%d connection%@, window %d%@)",
        published, seconds, eventsPerSecond, connections, connections == 1 ? "" : "s", maxInFlight,
        targetRate.map { String(format: ", target %.0f/s", $0) } ?? ""))
    lines.append(
      "acknowledged \(acknowledged), errors \(errors), duplicates \(duplicates), invalid \(invalid), duplicate acks \(duplicateAcks)"
    )
    lines.append("PubAck latency: \(pubAckLatency.text)")
    let kinds = byKind.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
    lines.append("by kind: " + kinds.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    if !errorSamples.isEmpty { lines.append("first errors: " + errorSamples.joined(separator: "; ")) }
    return lines.joined(separator: "\n")
  }
}
