/// A consumer's configuration, the `config` of `$JS.API.CONSUMER.CREATE.<stream>.<name>`.
///
/// Keys are the API's snake_case names; durations are `Int64` nanoseconds; every field is optional
/// so the server applies its defaults. A pull consumer has no `deliverSubject`.
public struct ConsumerConfig: Sendable, Hashable, Codable {
  /// Consumer name (durable or not).
  public var name: String?
  /// Durable name (the consumer survives without subscribers).
  public var durableName: String?
  /// Free text.
  public var description: String?
  /// Where to start.
  public var deliverPolicy: DeliverPolicy?
  /// Start sequence for `by_start_sequence`.
  public var optStartSeq: UInt64?
  /// Start time (RFC 3339) for `by_start_time`.
  public var optStartTime: String?
  /// Ack policy.
  public var ackPolicy: AckPolicy?
  /// Redelivery delay for unacknowledged messages, nanoseconds.
  public var ackWait: Int64?
  /// Maximum deliveries (-1 unlimited).
  public var maxDeliver: Int?
  /// Redelivery backoff, nanoseconds per attempt.
  public var backoff: [Int64]?
  /// Only this subject.
  public var filterSubject: String?
  /// Only these subjects.
  public var filterSubjects: [String]?
  /// Replay policy.
  public var replayPolicy: ReplayPolicy?
  /// Rate limit in bits per second (push).
  public var rateLimitBps: UInt64?
  /// Sampling percentage for ack metrics ("100%").
  public var sampleFreq: String?
  /// Maximum waiting pull requests.
  public var maxWaiting: Int?
  /// Maximum unacknowledged messages.
  public var maxAckPending: Int?
  /// Flow control (push).
  public var flowControl: Bool?
  /// Idle heartbeat (push), nanoseconds.
  public var idleHeartbeat: Int64?
  /// Deliver headers only.
  public var headersOnly: Bool?
  /// Maximum batch of one pull request.
  public var maxBatch: Int?
  /// Maximum `expires` of one pull request, nanoseconds.
  public var maxExpires: Int64?
  /// Maximum `max_bytes` of one pull request.
  public var maxBytes: Int?
  /// Delete an idle consumer after this long, nanoseconds.
  public var inactiveThreshold: Int64?
  /// Replicas (0 = as the stream).
  public var numReplicas: Int?
  /// Keep state in memory.
  public var memStorage: Bool?
  /// Push delivery subject (nil for a pull consumer).
  public var deliverSubject: String?
  /// Push delivery queue group.
  public var deliverGroup: String?
  /// Free-form metadata.
  public var metadata: [String: String]?

  /// Creates a configuration; a durable pull consumer with explicit acks by default.
  public init(durableName: String? = nil, ackPolicy: AckPolicy? = .explicit, filterSubject: String? = nil) {
    self.durableName = durableName
    self.ackPolicy = ackPolicy
    self.filterSubject = filterSubject
  }

  enum CodingKeys: String, CodingKey {
    case name
    case durableName = "durable_name"
    case description
    case deliverPolicy = "deliver_policy"
    case optStartSeq = "opt_start_seq"
    case optStartTime = "opt_start_time"
    case ackPolicy = "ack_policy"
    case ackWait = "ack_wait"
    case maxDeliver = "max_deliver"
    case backoff
    case filterSubject = "filter_subject"
    case filterSubjects = "filter_subjects"
    case replayPolicy = "replay_policy"
    case rateLimitBps = "rate_limit_bps"
    case sampleFreq = "sample_freq"
    case maxWaiting = "max_waiting"
    case maxAckPending = "max_ack_pending"
    case flowControl = "flow_control"
    case idleHeartbeat = "idle_heartbeat"
    case headersOnly = "headers_only"
    case maxBatch = "max_batch"
    case maxExpires = "max_expires"
    case maxBytes = "max_bytes"
    case inactiveThreshold = "inactive_threshold"
    case numReplicas = "num_replicas"
    case memStorage = "mem_storage"
    case deliverSubject = "deliver_subject"
    case deliverGroup = "deliver_group"
    case metadata
  }
}

/// What `CONSUMER.CREATE` does when the consumer exists or not (`action`).
public enum ConsumerCreateAction: String, Sendable, Hashable {
  /// Create, or update when it exists (`""`, the field is omitted).
  case createOrUpdate = ""
  /// Create only; an existing consumer with a different configuration is an error.
  case create
  /// Update only; a missing consumer is an error.
  case update
}
