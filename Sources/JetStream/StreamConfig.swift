/// A stream's configuration, the body of `$JS.API.STREAM.CREATE.<name>` / `STREAM.UPDATE`.
///
/// Keys are the API's snake_case names; durations are `Int64` nanoseconds; everything but `name`
/// is optional so the server applies its defaults and unknown server additions are ignored. Use
/// `JetStreamContext.createStream(rawConfig:)` to send a JSON file unchanged instead.
public struct StreamConfig: Sendable, Hashable, Codable {
  /// Stream name (no `.`, `*`, `>` or whitespace).
  public var name: String
  /// Free text.
  public var description: String?
  /// Subjects the stream captures.
  public var subjects: [String]?
  /// Retention policy.
  public var retention: RetentionPolicy?
  /// Maximum consumers (-1 unlimited).
  public var maxConsumers: Int?
  /// Maximum messages (-1 unlimited).
  public var maxMsgs: Int64?
  /// Maximum bytes (-1 unlimited).
  public var maxBytes: Int64?
  /// Maximum age in nanoseconds (0 unlimited).
  public var maxAge: Int64?
  /// Maximum messages per subject (-1 unlimited).
  public var maxMsgsPerSubject: Int64?
  /// Maximum message size in bytes (-1 unlimited).
  public var maxMsgSize: Int32?
  /// Discard policy.
  public var discard: DiscardPolicy?
  /// With `discard: new`, apply the limit per subject.
  public var discardNewPerSubject: Bool?
  /// Storage type.
  public var storage: StorageType?
  /// Replicas (1, 3, 5).
  public var numReplicas: Int?
  /// Do not acknowledge publishes.
  public var noAck: Bool?
  /// Deduplication window in nanoseconds.
  public var duplicateWindow: Int64?
  /// Placement in a cluster.
  public var placement: StreamPlacement?
  /// Mirror of another stream.
  public var mirror: StreamSource?
  /// Sources from other streams.
  public var sources: [StreamSource]?
  /// Sealed: no more writes or deletes.
  public var sealed: Bool?
  /// Deny message deletes.
  public var denyDelete: Bool?
  /// Deny purges.
  public var denyPurge: Bool?
  /// Allow `Nats-Rollup` headers.
  public var allowRollupHdrs: Bool?
  /// Allow direct get (`$JS.API.DIRECT.GET`).
  public var allowDirect: Bool?
  /// Allow direct get on mirrors.
  public var mirrorDirect: Bool?
  /// Compression ("none" or "s2").
  public var compression: String?
  /// First sequence of a new stream.
  public var firstSeq: UInt64?
  /// Transform applied to incoming subjects.
  public var subjectTransform: SubjectTransform?
  /// Republish stored messages.
  public var republish: StreamRepublish?
  /// Defaults for the stream's consumers.
  public var consumerLimits: StreamConsumerLimits?
  /// Allow per-message TTLs (`Nats-TTL`).
  public var allowMsgTTL: Bool?
  /// Free-form metadata.
  public var metadata: [String: String]?

  /// Creates a configuration with a name and optional subjects; set the rest as properties.
  public init(name: String, subjects: [String]? = nil) {
    self.name = name
    self.subjects = subjects
  }

  enum CodingKeys: String, CodingKey {
    case name, description, subjects, retention
    case maxConsumers = "max_consumers"
    case maxMsgs = "max_msgs"
    case maxBytes = "max_bytes"
    case maxAge = "max_age"
    case maxMsgsPerSubject = "max_msgs_per_subject"
    case maxMsgSize = "max_msg_size"
    case discard
    case discardNewPerSubject = "discard_new_per_subject"
    case storage
    case numReplicas = "num_replicas"
    case noAck = "no_ack"
    case duplicateWindow = "duplicate_window"
    case placement, mirror, sources, sealed
    case denyDelete = "deny_delete"
    case denyPurge = "deny_purge"
    case allowRollupHdrs = "allow_rollup_hdrs"
    case allowDirect = "allow_direct"
    case mirrorDirect = "mirror_direct"
    case compression
    case firstSeq = "first_seq"
    case subjectTransform = "subject_transform"
    case republish
    case consumerLimits = "consumer_limits"
    case allowMsgTTL = "allow_msg_ttl"
    case metadata
  }
}

/// Placement of a stream in a cluster.
public struct StreamPlacement: Sendable, Hashable, Codable {
  /// Cluster name.
  public var cluster: String?
  /// Server tags.
  public var tags: [String]?
  /// Creates a placement.
  public init(cluster: String? = nil, tags: [String]? = nil) {
    self.cluster = cluster
    self.tags = tags
  }
}

/// A stream that this stream mirrors or sources from.
public struct StreamSource: Sendable, Hashable, Codable {
  /// Upstream stream name.
  public var name: String
  /// Start sequence.
  public var optStartSeq: UInt64?
  /// Start time (RFC 3339).
  public var optStartTime: String?
  /// Only these subjects.
  public var filterSubject: String?
  /// Filters with transforms (instead of `filterSubject`).
  public var subjectTransforms: [SubjectTransform]?
  /// Stream in another account or domain.
  public var external: ExternalStream?

  /// Creates a source.
  public init(name: String, filterSubject: String? = nil, subjectTransforms: [SubjectTransform]? = nil) {
    self.name = name
    self.filterSubject = filterSubject
    self.subjectTransforms = subjectTransforms
  }

  enum CodingKeys: String, CodingKey {
    case name
    case optStartSeq = "opt_start_seq"
    case optStartTime = "opt_start_time"
    case filterSubject = "filter_subject"
    case subjectTransforms = "subject_transforms"
    case external
  }
}

/// A subject transform (`{"src": …, "dest": …}`).
public struct SubjectTransform: Sendable, Hashable, Codable {
  /// Source subject filter.
  public var src: String
  /// Destination subject.
  public var dest: String
  /// Creates a transform.
  public init(src: String, dest: String) {
    self.src = src
    self.dest = dest
  }
}

/// A stream in another account or JetStream domain.
public struct ExternalStream: Sendable, Hashable, Codable {
  /// API prefix of the other domain or account.
  public var api: String
  /// Delivery prefix.
  public var deliver: String?
  /// Creates an external reference.
  public init(api: String, deliver: String? = nil) {
    self.api = api
    self.deliver = deliver
  }
}

/// Republish configuration.
public struct StreamRepublish: Sendable, Hashable, Codable {
  /// Source subject filter.
  public var src: String?
  /// Destination subject.
  public var dest: String
  /// Only headers.
  public var headersOnly: Bool?
  /// Creates a republish rule.
  public init(src: String? = nil, dest: String, headersOnly: Bool? = nil) {
    self.src = src
    self.dest = dest
    self.headersOnly = headersOnly
  }
  enum CodingKeys: String, CodingKey {
    case src, dest
    case headersOnly = "headers_only"
  }
}

/// Defaults applied to consumers of a stream.
public struct StreamConsumerLimits: Sendable, Hashable, Codable {
  /// Inactive threshold in nanoseconds.
  public var inactiveThreshold: Int64?
  /// Maximum ack pending.
  public var maxAckPending: Int?
  /// Creates limits.
  public init(inactiveThreshold: Int64? = nil, maxAckPending: Int? = nil) {
    self.inactiveThreshold = inactiveThreshold
    self.maxAckPending = maxAckPending
  }
  enum CodingKeys: String, CodingKey {
    case inactiveThreshold = "inactive_threshold"
    case maxAckPending = "max_ack_pending"
  }
}
