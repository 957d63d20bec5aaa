import Foundation
import GRDB

/// The `pf_notifications` outbox: notifications are written in the event's transaction and
/// published afterwards by `NotificationRelay`, so a notification exists iff its event committed.
public enum NotificationOutbox {
  /// The table name.
  public static let tableName = "pf_notifications"

  /// Adds the outbox migration.
  static func registerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("consumer-runtime.v1.pf_notifications") { db in
      try db.execute(
        sql: """
          CREATE TABLE pf_notifications (
            id TEXT PRIMARY KEY NOT NULL,
            organization_id TEXT NOT NULL,
            recipient_type TEXT NOT NULL,
            recipient_id TEXT NOT NULL,
            severity TEXT NOT NULL,
            template TEXT NOT NULL,
            event_id TEXT NOT NULL,
            entity_id TEXT,
            entity_type TEXT,
            created_at TEXT NOT NULL,
            published_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0
          );
          CREATE INDEX pf_notifications_pending ON pf_notifications (published_at) WHERE published_at IS NULL;
          """)
    }
  }

  /// Writes notifications; an id already present is left as it is (INSERT OR IGNORE), so a
  /// retried transaction or a redelivered event never creates a second row.
  static func insert(_ db: Database, _ notifications: [OutboxNotification], createdAt: Date) throws {
    if notifications.isEmpty { return }
    let created = ISOTime.string(createdAt)
    for n in notifications {
      try db.executeDirect(
        sql: """
          INSERT OR IGNORE INTO pf_notifications (
            id, organization_id, recipient_type, recipient_id, severity, template, event_id,
            entity_id, entity_type, created_at, published_at, attempts)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0)
          """,
        n.id, n.organizationId, n.recipientType, n.recipientId, n.severity, n.template, n.eventId,
        n.entityId, n.entityType, created)
    }
  }

  /// Pending notifications in the order they were written, at most `limit`.
  public static func unpublished(_ db: Database, limit: Int) throws -> [StoredNotification] {
    try StoredNotification.fetchAll(
      db, sql: "SELECT * FROM pf_notifications WHERE published_at IS NULL ORDER BY rowid LIMIT ?",
      arguments: [max(limit, 0)])
  }

  /// How many notifications are waiting to be published.
  public static func unpublishedCount(_ db: Database) throws -> Int {
    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pf_notifications WHERE published_at IS NULL") ?? 0
  }

  /// Marks notifications as published.
  public static func markPublished(_ db: Database, ids: [String], at: Date) throws {
    let published = ISOTime.string(at)
    for id in ids {
      try db.executeDirect(
        sql: "UPDATE pf_notifications SET published_at = ? WHERE id = ? AND published_at IS NULL", published,
        id)
    }
  }

  /// Counts one failed publish attempt.
  public static func recordFailedAttempt(_ db: Database, id: String) throws {
    try db.execute(sql: "UPDATE pf_notifications SET attempts = attempts + 1 WHERE id = ?", arguments: [id])
  }

  /// Every row, pending or not, in the order written (for tests and the CLI).
  public static func all(_ db: Database) throws -> [StoredNotification] {
    try StoredNotification.fetchAll(db, sql: "SELECT * FROM pf_notifications ORDER BY rowid")
  }
}
