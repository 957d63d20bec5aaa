import Foundation

/// How much of the outbox is waiting, and what the oldest waiting row looks like.
public struct OutboxPendingSummary: Sendable, Hashable {
  /// Rows not yet acknowledged by the stream.
  public var count: Int
  /// The oldest pending row's `seq` (the next row the relay publishes).
  public var oldestSeq: Int64?
  /// The oldest pending row's event id.
  public var oldestEventID: String?
  /// When the oldest pending row was enqueued.
  public var oldestCreatedAt: Date?
  /// Failed attempts on the oldest pending row.
  public var oldestAttempts: Int
  /// The last error recorded on the oldest pending row.
  public var oldestLastError: String?

  /// Creates a summary.
  public init(
    count: Int, oldestSeq: Int64? = nil, oldestEventID: String? = nil, oldestCreatedAt: Date? = nil,
    oldestAttempts: Int = 0, oldestLastError: String? = nil
  ) {
    self.count = count
    self.oldestSeq = oldestSeq
    self.oldestEventID = oldestEventID
    self.oldestCreatedAt = oldestCreatedAt
    self.oldestAttempts = oldestAttempts
    self.oldestLastError = oldestLastError
  }
}
