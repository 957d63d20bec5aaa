/// A JetStream setting whose JSON value is a string (`retention`, `ack_policy`, …). Values this
/// client does not know (from newer servers) are kept as they are, and written back unchanged.
/// Codable as the bare string (the standard library's `RawRepresentable` coding).
public protocol JetStreamStringValue: RawRepresentable, Sendable, Hashable, Codable,
  ExpressibleByStringLiteral
where RawValue == String, StringLiteralType == String {
  /// Creates the value from its JSON string.
  init(rawValue: String)
}

extension JetStreamStringValue {
  /// Creates the value from a literal.
  public init(stringLiteral value: String) { self.init(rawValue: value) }
}

/// How a stream retains messages (`retention`). Unknown values from newer servers are kept as-is.
public struct RetentionPolicy: JetStreamStringValue {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Keep messages up to the limits.
  public static let limits: RetentionPolicy = "limits"
  /// Keep messages while a consumer is interested.
  public static let interest: RetentionPolicy = "interest"
  /// Remove messages once acknowledged.
  public static let workQueue: RetentionPolicy = "workqueue"
}

/// Where a stream stores messages (`storage`).
public struct StorageType: JetStreamStringValue {
  /// The JSON value.
  public var rawValue: String
  /// Creates a storage type from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// On disk.
  public static let file: StorageType = "file"
  /// In memory.
  public static let memory: StorageType = "memory"
}

/// What a stream does when a limit is reached (`discard`).
public struct DiscardPolicy: JetStreamStringValue {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Drop the oldest messages.
  public static let old: DiscardPolicy = "old"
  /// Refuse new messages.
  public static let new: DiscardPolicy = "new"
}

/// How a consumer expects acknowledgements (`ack_policy`).
public struct AckPolicy: JetStreamStringValue {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// No acks.
  public static let none: AckPolicy = "none"
  /// Acking a message acks every earlier one.
  public static let all: AckPolicy = "all"
  /// Every message is acked on its own.
  public static let explicit: AckPolicy = "explicit"
}

/// Where a consumer starts (`deliver_policy`).
public struct DeliverPolicy: JetStreamStringValue {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
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
}

/// How fast a consumer replays (`replay_policy`).
public struct ReplayPolicy: JetStreamStringValue {
  /// The JSON value.
  public var rawValue: String
  /// Creates a policy from its JSON value.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// As fast as possible.
  public static let instant: ReplayPolicy = "instant"
  /// At the original pace.
  public static let original: ReplayPolicy = "original"
}
