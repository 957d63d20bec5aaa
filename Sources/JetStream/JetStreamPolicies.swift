/// How a stream retains messages (`retention`). Unknown values from newer servers are kept as-is.
public struct RetentionPolicy: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a policy from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// Keep messages up to the limits.
  public static let limits: RetentionPolicy = "limits"
  /// Keep messages while a consumer is interested.
  public static let interest: RetentionPolicy = "interest"
  /// Remove messages once acknowledged.
  public static let workQueue: RetentionPolicy = "workqueue"

  /// Decodes the raw string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes the raw string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

/// Where a stream stores messages (`storage`).
public struct StorageType: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The JSON value.
  public var rawValue: String
  /// Creates a storage type from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a storage type from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// On disk.
  public static let file: StorageType = "file"
  /// In memory.
  public static let memory: StorageType = "memory"

  /// Decodes the raw string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes the raw string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

/// What a stream does when a limit is reached (`discard`).
public struct DiscardPolicy: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a policy from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// Drop the oldest messages.
  public static let old: DiscardPolicy = "old"
  /// Refuse new messages.
  public static let new: DiscardPolicy = "new"

  /// Decodes the raw string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes the raw string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

/// How a consumer expects acknowledgements (`ack_policy`).
public struct AckPolicy: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a policy from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// No acks.
  public static let none: AckPolicy = "none"
  /// Acking a message acks every earlier one.
  public static let all: AckPolicy = "all"
  /// Every message is acked on its own.
  public static let explicit: AckPolicy = "explicit"

  /// Decodes the raw string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes the raw string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

/// Where a consumer starts (`deliver_policy`).
public struct DeliverPolicy: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a policy from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// From the first message.
  public static let all: DeliverPolicy = "all"
  /// From the last message.
  public static let last: DeliverPolicy = "last"
  /// Only new messages.
  public static let new: DeliverPolicy = "new"
  /// From `opt_start_seq`.
  public static let byStartSequence: DeliverPolicy = "by_start_sequence"
  /// From `opt_start_time`.
  public static let byStartTime: DeliverPolicy = "by_start_time"
  /// The last message of every subject.
  public static let lastPerSubject: DeliverPolicy = "last_per_subject"

  /// Decodes the raw string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes the raw string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

/// How fast a consumer replays (`replay_policy`).
public struct ReplayPolicy: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Creates a policy from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }
  /// As fast as possible.
  public static let instant: ReplayPolicy = "instant"
  /// At the original pace.
  public static let original: ReplayPolicy = "original"

  /// Decodes the raw string.
  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  /// Encodes the raw string.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}
