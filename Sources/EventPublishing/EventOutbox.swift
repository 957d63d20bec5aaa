import CloudEvents
import Foundation
import GRDB
import NATSWire

/// The transactional outbox of a producer: table `fw_event_outbox` in the producer's own SQLite
/// database.
///
/// A producer calls `enqueue(_:event:subject:)` inside the same write transaction as its business
/// rows, so the event and the business change commit or roll back together; `OutboxRelay` then
/// publishes the committed rows in `seq` order and marks each one only after its PubAck.
///
/// Columns: `seq` (INTEGER PRIMARY KEY AUTOINCREMENT, so a sequence number is never reused),
/// `event_id` (TEXT UNIQUE), `subject`, `headers` (JSON array of `[name, value]` pairs), `body`
/// (BLOB), `created_at`, `published_at` (NULL while pending), `stream_sequence` (NULL while
/// pending), `attempts`, `last_error`.
public enum EventOutbox {
  /// The table name.
  public static let tableName = "fw_event_outbox"
  /// The migration identifier registered by `migrate(_:)`.
  public static let migrationIdentifier = "fw_event_outbox.v1"

  /// Registers the migration that creates the table and its pending-rows index.
  public static func migrate(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration(migrationIdentifier) { db in
      try createTable(db)
    }
  }

  /// Creates the table and index if they do not exist (for producers that do not use a migrator).
  public static func createTable(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS fw_event_outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          subject TEXT NOT NULL,
          headers TEXT NOT NULL,
          body BLOB NOT NULL,
          created_at DATETIME NOT NULL,
          published_at DATETIME,
          stream_sequence INTEGER,
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT
        );
        CREATE INDEX IF NOT EXISTS fw_event_outbox_pending
          ON fw_event_outbox (seq) WHERE published_at IS NULL;
        """)
  }

  // MARK: producer side

  /// Validates `event` (see `PublishableEvent`), encodes it (binary mode by default, `Nats-Msg-Id`
  /// = event id) and inserts it as a pending row. Call it inside the producer's write transaction.
  ///
  /// - Parameters:
  ///   - db: a connection inside a transaction (e.g. in `DatabaseWriter.write`).
  ///   - event: the event; invalid events are refused before anything is written.
  ///   - subject: the subject, `nil` for the contract's subject.
  ///   - mode: the content mode the relay will publish.
  ///   - now: the `created_at` value.
  /// - Returns: the row's `seq`.
  /// - Throws: `EventPublishingError` (`.invalidEvent`, `.unknownSubject`, `.invalidSubject`,
  ///   `.duplicateEventID`, `.notInTransaction`) or a `DatabaseError`. Either way the caller's
  ///   transaction should roll back, taking its business rows with it.
  @discardableResult
  public static func enqueue(
    _ db: Database, event: CloudEvent, subject: String? = nil, mode: CloudEventNATSBinding.Mode = .binary,
    now: Date = Date()
  ) throws -> Int64 {
    guard db.isInsideTransaction else {
      throw EventPublishingError(
        .notInTransaction,
        "event \(PublishableEvent.shown(event.id)): enqueue must run inside the producer's write transaction")
    }
    let publishable = try PublishableEvent(event, subject: subject)
    let encoded = try CloudEventMessage.encode(event, mode: mode)
    let exists =
      try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM fw_event_outbox WHERE event_id = ?)", arguments: [event.id])
      ?? false
    if exists {
      throw EventPublishingError(
        .duplicateEventID, "event \(PublishableEvent.shown(event.id)) is already in the outbox")
    }
    try db.execute(
      sql: """
        INSERT INTO fw_event_outbox (event_id, subject, headers, body, created_at, attempts)
        VALUES (?, ?, ?, ?, ?, 0)
        """,
      arguments: [event.id, publishable.subject, encodeHeaders(encoded.headers), Data(encoded.body), now])
    return db.lastInsertedRowID
  }

  // MARK: relay side

  /// The oldest pending rows with `seq > after`, in `seq` order, at most `limit`.
  ///
  /// - Throws: `EventPublishingError` `.undecodable` when a row's stored headers are not a JSON
  ///   array of `[name, value]` pairs (the error names the row), or a `DatabaseError`.
  public static func pending(_ db: Database, after seq: Int64 = 0, limit: Int = 100) throws -> [OutboxMessage]
  {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT * FROM fw_event_outbox WHERE published_at IS NULL AND seq > ? ORDER BY seq LIMIT ?
        """,
      arguments: [seq, max(limit, 1)])
    return try rows.map(message(from:))
  }

  /// One pending row as the relay reads it: its position, and the decoded message or why the
  /// stored row cannot be decoded (so the failure is recorded on that row, not on the batch).
  struct PendingRow: Sendable {
    var seq: Int64
    var eventID: String
    var message: Result<OutboxMessage, EventPublishingError>
  }

  /// The oldest pending rows, each decoded on its own.
  static func pendingRows(_ db: Database, limit: Int) throws -> [PendingRow] {
    let rows = try Row.fetchAll(
      db,
      sql: "SELECT * FROM fw_event_outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?",
      arguments: [max(limit, 1)])
    return try rows.map { row in
      let seq: Int64 = try row.decode(forColumn: "seq")
      let eventID: String = try row.decode(forColumn: "event_id")
      do {
        return PendingRow(seq: seq, eventID: eventID, message: .success(try message(from: row)))
      } catch let error as EventPublishingError {
        return PendingRow(seq: seq, eventID: eventID, message: .failure(error))
      }
    }
  }

  /// The row of `eventID`, published or not.
  public static func message(_ db: Database, eventID: String) throws -> OutboxMessage? {
    try Row.fetchOne(db, sql: "SELECT * FROM fw_event_outbox WHERE event_id = ?", arguments: [eventID])
      .map(message(from:))
  }

  /// Every row in `seq` order (for inspection and tests; the outbox may be large).
  public static func all(_ db: Database) throws -> [OutboxMessage] {
    try Row.fetchAll(db, sql: "SELECT * FROM fw_event_outbox ORDER BY seq").map(message(from:))
  }

  /// The number of pending rows and the oldest one's `seq`, `event_id`, `created_at`, attempts and
  /// `last_error`.
  public static func pendingSummary(_ db: Database) throws -> OutboxPendingSummary {
    let count =
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fw_event_outbox WHERE published_at IS NULL") ?? 0
    let oldest = try Row.fetchOne(
      db,
      sql: """
        SELECT seq, event_id, created_at, attempts, last_error FROM fw_event_outbox
        WHERE published_at IS NULL ORDER BY seq LIMIT 1
        """)
    guard let oldest else { return OutboxPendingSummary(count: count) }
    return OutboxPendingSummary(
      count: count, oldestSeq: try oldest.decode(forColumn: "seq"),
      oldestEventID: try oldest.decode(forColumn: "event_id"),
      oldestCreatedAt: try oldest.decode(forColumn: "created_at"),
      oldestAttempts: try oldest.decode(forColumn: "attempts"),
      oldestLastError: try oldest.decode(forColumn: "last_error"))
  }

  /// Marks a row published with its stream sequence; clears `last_error` and counts the attempt.
  public static func markPublished(_ db: Database, seq: Int64, streamSequence: UInt64, at date: Date) throws {
    try db.execute(
      sql: """
        UPDATE fw_event_outbox
        SET published_at = ?, stream_sequence = ?, attempts = attempts + 1, last_error = NULL
        WHERE seq = ?
        """,
      arguments: [date, Int64(clamping: streamSequence), seq])
  }

  /// Records a failed attempt on a pending row (the row stays pending).
  public static func recordFailure(_ db: Database, seq: Int64, error: String) throws {
    try db.execute(
      sql: """
        UPDATE fw_event_outbox SET attempts = attempts + 1, last_error = ?
        WHERE seq = ? AND published_at IS NULL
        """,
      arguments: [String(error.prefix(2000)), seq])
  }

  /// Deletes published rows acknowledged before `date` (housekeeping); pending rows are never
  /// deleted. Returns the number of rows deleted. The `seq` counter is not reused afterwards.
  @discardableResult
  public static func deletePublished(_ db: Database, before date: Date) throws -> Int {
    try db.execute(
      sql: "DELETE FROM fw_event_outbox WHERE published_at IS NOT NULL AND published_at < ?",
      arguments: [date])
    return db.changesCount
  }

  // MARK: encoding

  /// The stored form of headers: a JSON array of `[name, value]` pairs in wire order.
  static func encodeHeaders(_ headers: NATSHeaders) throws -> String {
    let pairs = headers.pairs.map { [$0.name, $0.value] }
    let data = try JSONEncoder().encode(pairs)
    return String(decoding: data, as: UTF8.self)
  }

  /// Parses the stored form of headers; `nil` when it is not a JSON array of two-string arrays.
  static func decodeHeaders(_ text: String) -> NATSHeaders? {
    guard let pairs = try? JSONDecoder().decode([[String]].self, from: Data(text.utf8)) else { return nil }
    var headers = NATSHeaders()
    for pair in pairs {
      guard pair.count == 2 else { return nil }
      headers.append(pair[0], pair[1])
    }
    return headers
  }

  static func message(from row: Row) throws -> OutboxMessage {
    let seq: Int64 = try row.decode(forColumn: "seq")
    let eventID: String = try row.decode(forColumn: "event_id")
    let headersText: String = try row.decode(forColumn: "headers")
    guard let headers = decodeHeaders(headersText) else {
      throw EventPublishingError(
        .undecodable,
        "outbox row \(seq) (event \(PublishableEvent.shown(eventID))): stored headers are not a JSON array of "
          + "[name, value] pairs")
    }
    let body: Data = try row.decode(forColumn: "body")
    return OutboxMessage(
      seq: seq, eventID: eventID, subject: try row.decode(forColumn: "subject"), headers: headers,
      body: Array(body), createdAt: try row.decode(forColumn: "created_at"),
      publishedAt: try row.decode(forColumn: "published_at"),
      streamSequence: try row.decode(forColumn: "stream_sequence"),
      attempts: try row.decode(forColumn: "attempts"),
      lastError: try row.decode(forColumn: "last_error"))
  }
}
