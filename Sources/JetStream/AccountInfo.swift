/// What `$JS.API.INFO` returns: the account's JetStream usage and limits.
public struct AccountInfo: Sendable, Hashable, Decodable {
  /// Memory used, bytes.
  public var memory: UInt64
  /// Storage used, bytes.
  public var storage: UInt64
  /// Streams.
  public var streams: Int
  /// Consumers.
  public var consumers: Int
  /// The JetStream domain, when one is configured.
  public var domain: String?
  /// Account limits.
  public var limits: AccountLimits?
  /// API call counters.
  public var api: APIStats?

  enum CodingKeys: String, CodingKey {
    case memory, storage, streams, consumers, domain, limits, api
  }

  /// Decodes, treating missing counters as 0.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    memory = try c.decodeIfPresent(UInt64.self, forKey: .memory) ?? 0
    storage = try c.decodeIfPresent(UInt64.self, forKey: .storage) ?? 0
    streams = try c.decodeIfPresent(Int.self, forKey: .streams) ?? 0
    consumers = try c.decodeIfPresent(Int.self, forKey: .consumers) ?? 0
    domain = try c.decodeIfPresent(String.self, forKey: .domain)
    limits = try c.decodeIfPresent(AccountLimits.self, forKey: .limits)
    api = try c.decodeIfPresent(APIStats.self, forKey: .api)
  }

  /// Account limits (-1 = unlimited).
  public struct AccountLimits: Sendable, Hashable, Decodable {
    /// Maximum memory, bytes.
    public var maxMemory: Int64?
    /// Maximum storage, bytes.
    public var maxStorage: Int64?
    /// Maximum streams.
    public var maxStreams: Int?
    /// Maximum consumers.
    public var maxConsumers: Int?
    /// Maximum ack pending per consumer.
    public var maxAckPending: Int?

    enum CodingKeys: String, CodingKey {
      case maxMemory = "max_memory"
      case maxStorage = "max_storage"
      case maxStreams = "max_streams"
      case maxConsumers = "max_consumers"
      case maxAckPending = "max_ack_pending"
    }
  }

  /// API call counters.
  public struct APIStats: Sendable, Hashable, Decodable {
    /// Calls.
    public var total: UInt64?
    /// Calls that returned an error.
    public var errors: UInt64?
    /// API level of the server.
    public var level: Int?
  }
}
