/// What `$JS.API.STREAM.INFO` / `CREATE` / `UPDATE` / `LIST` return for a stream.
public struct StreamInfo: Sendable, Hashable, Decodable {
  /// The stream's configuration as the server holds it (defaults filled in).
  public var config: StreamConfig
  /// Creation time (RFC 3339 text as sent by the server).
  public var created: String?
  /// Message counts and sequences.
  public var state: StreamState
  /// Cluster placement and replicas.
  public var cluster: JetStreamClusterInfo?
  /// Server time of the response (RFC 3339).
  public var timestamp: String?

  enum CodingKeys: String, CodingKey {
    case config, created, state, cluster
    case timestamp = "ts"
  }
}

/// A stream's message counts and sequences.
public struct StreamState: Sendable, Hashable, Decodable {
  /// Messages stored.
  public var messages: UInt64
  /// Bytes stored.
  public var bytes: UInt64
  /// First sequence.
  public var firstSequence: UInt64
  /// Time of the first message.
  public var firstTimestamp: String?
  /// Last sequence.
  public var lastSequence: UInt64
  /// Time of the last message.
  public var lastTimestamp: String?
  /// Number of consumers.
  public var consumerCount: Int
  /// Number of deleted messages inside the range.
  public var numDeleted: Int?
  /// Number of distinct subjects.
  public var numSubjects: UInt64?
  /// Messages per subject (only with a `subjects_filter` in the info request).
  public var subjects: [String: UInt64]?

  enum CodingKeys: String, CodingKey {
    case messages, bytes
    case firstSequence = "first_seq"
    case firstTimestamp = "first_ts"
    case lastSequence = "last_seq"
    case lastTimestamp = "last_ts"
    case consumerCount = "consumer_count"
    case numDeleted = "num_deleted"
    case numSubjects = "num_subjects"
    case subjects
  }

  /// Decodes, treating missing counters as 0.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    messages = try c.decodeIfPresent(UInt64.self, forKey: .messages) ?? 0
    bytes = try c.decodeIfPresent(UInt64.self, forKey: .bytes) ?? 0
    firstSequence = try c.decodeIfPresent(UInt64.self, forKey: .firstSequence) ?? 0
    firstTimestamp = try c.decodeIfPresent(String.self, forKey: .firstTimestamp)
    lastSequence = try c.decodeIfPresent(UInt64.self, forKey: .lastSequence) ?? 0
    lastTimestamp = try c.decodeIfPresent(String.self, forKey: .lastTimestamp)
    consumerCount = try c.decodeIfPresent(Int.self, forKey: .consumerCount) ?? 0
    numDeleted = try c.decodeIfPresent(Int.self, forKey: .numDeleted)
    numSubjects = try c.decodeIfPresent(UInt64.self, forKey: .numSubjects)
    subjects = try c.decodeIfPresent([String: UInt64].self, forKey: .subjects)
  }
}

/// Cluster information of a stream or consumer.
public struct JetStreamClusterInfo: Sendable, Hashable, Decodable {
  /// Cluster name.
  public var name: String?
  /// Current leader.
  public var leader: String?
  /// Other replicas.
  public var replicas: [Replica]?

  /// One replica's state.
  public struct Replica: Sendable, Hashable, Decodable {
    /// Server name.
    public var name: String
    /// Whether it is up to date.
    public var current: Bool?
    /// Whether it is offline.
    public var offline: Bool?
    /// Operations behind the leader.
    public var lag: UInt64?
  }
}
