import FleetLoad
import Foundation
import NATS

/// What `LoadgenRunner` publishes, how fast and for how long.
///
/// A run stops at the first of: `count` events published, `duration` elapsed, or the hard caps
/// `maximumCount` / `maximumDuration` (so every run is bounded in count and in time even when
/// only one of the two is given).
public struct LoadgenOptions: Sendable {
  /// Connection settings (servers, credentials, TLS); every connection uses them.
  public var client: NATSClientOptions
  /// Seed, tenants, duplicate and invalid shares, flow mix (see `LoadProfile`).
  public var profile: LoadProfile
  /// Generated timestamps start here; with the seed it fixes every event byte for byte.
  public var startTime: Date
  /// Events to publish (duplicates and invalid events included); `nil` = until `duration`.
  public var count: Int?
  /// How long to publish; `nil` = until `count`.
  public var duration: Duration?
  /// Target events per second over all connections; `nil` = as fast as possible.
  public var rate: Double?
  /// Parallel connections, each with its own async publisher; events go round-robin.
  public var connections: Int
  /// Unacknowledged publishes allowed per connection (the JetStream async publish window).
  public var maxInFlight: Int
  /// How long one PubAck may take before the publish counts as an error.
  public var ackTimeout: Duration
  /// Build valid events through `DomainEventEncoder` (validating, ~150 µs each) or directly
  /// (same bytes, several times faster). See `LoadGenerator.validatesEnvelopes`.
  public var validatesEnvelopes: Bool
  /// Where to write the JSON summary (`nil` = none).
  public var summaryPath: String?

  /// Hard cap on events in one run.
  public static let maximumCount = 100_000_000
  /// Hard cap on the length of one run.
  public static let maximumDuration: Duration = .seconds(24 * 3600)
  /// Most connections one run may open.
  public static let maximumConnections = 64
  /// Largest in-flight window per connection.
  public static let maximumInFlight = 65_536

  /// Creates options; give `count`, `duration` or both.
  public init(
    client: NATSClientOptions, profile: LoadProfile = LoadProfile(seed: 1),
    startTime: Date = Date(timeIntervalSince1970: 1_767_225_600), count: Int? = nil,
    duration: Duration? = nil,
    rate: Double? = nil, connections: Int = 1, maxInFlight: Int = 1024, ackTimeout: Duration = .seconds(10),
    validatesEnvelopes: Bool = true, summaryPath: String? = nil
  ) {
    self.client = client
    self.profile = profile
    self.startTime = startTime
    self.count = count
    self.duration = duration
    self.rate = rate
    self.connections = connections
    self.maxInFlight = maxInFlight
    self.ackTimeout = ackTimeout
    self.validatesEnvelopes = validatesEnvelopes
    self.summaryPath = summaryPath
  }

  /// Checks every value; throws `PerfError(.invalidOption)` naming the first bad one.
  public func validate() throws(PerfError) {
    if count == nil && duration == nil {
      throw PerfError(.invalidOption, "give a count, a duration, or both")
    }
    if let count, count < 1 || count > Self.maximumCount {
      throw PerfError(.invalidOption, "count must be 1…\(Self.maximumCount), got \(count)")
    }
    if let duration, duration <= .zero || duration > Self.maximumDuration {
      throw PerfError(
        .invalidOption, "duration must be positive and at most \(Self.maximumDuration), got \(duration)")
    }
    if let rate, !(rate.isFinite && rate > 0 && rate <= 10_000_000) {
      throw PerfError(
        .invalidOption, "rate must be a positive number of events per second (≤ 10M), got \(rate)")
    }
    if connections < 1 || connections > Self.maximumConnections {
      throw PerfError(.invalidOption, "connections must be 1…\(Self.maximumConnections), got \(connections)")
    }
    if maxInFlight < 1 || maxInFlight > Self.maximumInFlight {
      throw PerfError(.invalidOption, "max in-flight must be 1…\(Self.maximumInFlight), got \(maxInFlight)")
    }
    if ackTimeout <= .zero {
      throw PerfError(.invalidOption, "ack timeout must be positive")
    }
  }

  /// The count bound actually applied.
  var countLimit: Int { count ?? Self.maximumCount }
  /// The time bound actually applied.
  var timeLimit: Duration { duration ?? Self.maximumDuration }
}
