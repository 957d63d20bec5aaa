/// What `$JS.API.CONSUMER.INFO` / `CREATE` / `LIST` return for a consumer.
public struct ConsumerInfo: Sendable, Hashable, Decodable {
  /// Stream name.
  public var streamName: String
  /// Consumer name.
  public var name: String
  /// Creation time (RFC 3339).
  public var created: String?
  /// Configuration as the server holds it.
  public var config: ConsumerConfig
  /// Last delivered sequences.
  public var delivered: SequenceInfo
  /// Acknowledgement floor.
  public var ackFloor: SequenceInfo
  /// Messages delivered and not yet acknowledged.
  public var numAckPending: Int
  /// Messages redelivered.
  public var numRedelivered: Int
  /// Pull requests waiting.
  public var numWaiting: Int
  /// Messages not yet delivered.
  public var numPending: UInt64
  /// Cluster information.
  public var cluster: JetStreamClusterInfo?
  /// Server time of the response (RFC 3339).
  public var timestamp: String?

  enum CodingKeys: String, CodingKey {
    case streamName = "stream_name"
    case name, created, config, delivered
    case ackFloor = "ack_floor"
    case numAckPending = "num_ack_pending"
    case numRedelivered = "num_redelivered"
    case numWaiting = "num_waiting"
    case numPending = "num_pending"
    case cluster
    case timestamp = "ts"
  }

  /// Decodes, treating missing counters as 0.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    streamName = try c.decode(String.self, forKey: .streamName)
    name = try c.decode(String.self, forKey: .name)
    created = try c.decodeIfPresent(String.self, forKey: .created)
    config = try c.decode(ConsumerConfig.self, forKey: .config)
    delivered = try c.decodeIfPresent(SequenceInfo.self, forKey: .delivered) ?? SequenceInfo()
    ackFloor = try c.decodeIfPresent(SequenceInfo.self, forKey: .ackFloor) ?? SequenceInfo()
    numAckPending = try c.decodeIfPresent(Int.self, forKey: .numAckPending) ?? 0
    numRedelivered = try c.decodeIfPresent(Int.self, forKey: .numRedelivered) ?? 0
    numWaiting = try c.decodeIfPresent(Int.self, forKey: .numWaiting) ?? 0
    numPending = try c.decodeIfPresent(UInt64.self, forKey: .numPending) ?? 0
    cluster = try c.decodeIfPresent(JetStreamClusterInfo.self, forKey: .cluster)
    timestamp = try c.decodeIfPresent(String.self, forKey: .timestamp)
  }
}

/// A consumer and a stream sequence pair.
public struct SequenceInfo: Sendable, Hashable, Decodable {
  /// Consumer sequence.
  public var consumerSequence: UInt64
  /// Stream sequence.
  public var streamSequence: UInt64
  /// Last activity (RFC 3339).
  public var lastActive: String?

  /// Zero sequences.
  public init(consumerSequence: UInt64 = 0, streamSequence: UInt64 = 0, lastActive: String? = nil) {
    self.consumerSequence = consumerSequence
    self.streamSequence = streamSequence
    self.lastActive = lastActive
  }

  enum CodingKeys: String, CodingKey {
    case consumerSequence = "consumer_seq"
    case streamSequence = "stream_seq"
    case lastActive = "last_active"
  }

  /// Decodes, treating missing sequences as 0.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    consumerSequence = try c.decodeIfPresent(UInt64.self, forKey: .consumerSequence) ?? 0
    streamSequence = try c.decodeIfPresent(UInt64.self, forKey: .streamSequence) ?? 0
    lastActive = try c.decodeIfPresent(String.self, forKey: .lastActive)
  }
}
