import GRDB

/// A row of the `pf_notifications` outbox: the notification plus its delivery bookkeeping.
public struct StoredNotification: Sendable, Equatable {
  /// The notification as the handler queued it.
  public var notification: OutboxNotification
  /// When it was written (the event's processing time), ISO 8601 UTC.
  public var createdAt: String
  /// When the relay published it, ISO 8601 UTC; `nil` while pending.
  public var publishedAt: String?
  /// Failed publish attempts so far.
  public var attempts: Int

  /// The notification id (also the `Nats-Msg-Id` of its publish).
  public var id: String { notification.id }

  /// Creates a value.
  public init(notification: OutboxNotification, createdAt: String, publishedAt: String?, attempts: Int) {
    self.notification = notification
    self.createdAt = createdAt
    self.publishedAt = publishedAt
    self.attempts = attempts
  }
}

extension StoredNotification: FetchableRecord {
  /// Decodes a `pf_notifications` row.
  public init(row: Row) throws {
    self.init(
      notification: OutboxNotification(
        id: row["id"] ?? "", organizationId: row["organization_id"] ?? "",
        recipientType: row["recipient_type"] ?? "", recipientId: row["recipient_id"] ?? "",
        severity: row["severity"] ?? "", template: row["template"] ?? "", eventId: row["event_id"] ?? "",
        entityId: row["entity_id"], entityType: row["entity_type"]),
      createdAt: row["created_at"] ?? "", publishedAt: row["published_at"], attempts: row["attempts"] ?? 0)
  }
}
