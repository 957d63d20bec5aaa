import Foundation

/// What the outbox relay is doing, so a stuck relay is visible (health checks, metrics, the CLI).
public struct OutboxRelayStats: Sendable, Hashable {
  /// A failed publish attempt, as the relay last saw it.
  public struct Failure: Sendable, Hashable {
    /// The outbox row.
    public var seq: Int64
    /// The event id of the row.
    public var eventID: String
    /// The error text (ids and rules only).
    public var message: String
    /// Whether retrying cannot fix it without an operator (the relay still retries, at the maximum
    /// back-off).
    public var permanent: Bool
    /// When it happened.
    public var at: Date

    /// Creates a failure record.
    public init(seq: Int64, eventID: String, message: String, permanent: Bool, at: Date) {
      self.seq = seq
      self.eventID = eventID
      self.message = message
      self.permanent = permanent
      self.at = at
    }
  }

  /// Rows not yet acknowledged by the stream.
  public var pending: Int
  /// The next row to publish (the oldest pending one).
  public var oldestPendingSeq: Int64?
  /// The event id of the oldest pending row.
  public var oldestPendingEventID: String?
  /// How long the oldest pending row has waited since it was enqueued.
  public var oldestPendingAge: Duration?
  /// Failed attempts on the oldest pending row.
  public var oldestPendingAttempts: Int
  /// The last error stored on the oldest pending row: what currently blocks the outbox.
  public var oldestPendingLastError: String?
  /// The most recent failure seen by this relay (kept after later successes).
  public var lastFailure: Failure?
  /// Failures since the last successful publish (0 while healthy).
  public var consecutiveFailures: Int
  /// Rows published by this relay since it was created.
  public var published: Int
  /// Of those, how many PubAcks said `duplicate` (the stream already had the message).
  public var duplicates: Int
  /// When this relay last marked a row published.
  public var lastPublishedAt: Date?

  /// Creates a stats value.
  public init(
    pending: Int, oldestPendingSeq: Int64? = nil, oldestPendingEventID: String? = nil,
    oldestPendingAge: Duration? = nil, oldestPendingAttempts: Int = 0, oldestPendingLastError: String? = nil,
    lastFailure: Failure? = nil, consecutiveFailures: Int = 0, published: Int = 0, duplicates: Int = 0,
    lastPublishedAt: Date? = nil
  ) {
    self.pending = pending
    self.oldestPendingSeq = oldestPendingSeq
    self.oldestPendingEventID = oldestPendingEventID
    self.oldestPendingAge = oldestPendingAge
    self.oldestPendingAttempts = oldestPendingAttempts
    self.oldestPendingLastError = oldestPendingLastError
    self.lastFailure = lastFailure
    self.consecutiveFailures = consecutiveFailures
    self.published = published
    self.duplicates = duplicates
    self.lastPublishedAt = lastPublishedAt
  }
}
