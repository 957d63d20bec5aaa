import GRDB

/// The `fw_domain_events` dedupe ledger (seed 003 names) in the service's SQLite file.
///
/// One row per (source, dedupe key): `processed` rows make redeliveries duplicates; `failed` rows
/// record dead letters (retry count, sanitized error, `processed_at` NULL). Every function takes an
/// open `Database`, so callers choose the transaction (the processor uses one per event).
public enum Ledger {
  /// The table name.
  public static let tableName = "fw_domain_events"

  /// Adds the ledger migrations.
  static func registerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("consumer-runtime.v1.fw_domain_events") { db in
      try db.execute(
        sql: """
          CREATE TABLE fw_domain_events (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            event_name TEXT NOT NULL,
            correlation_id TEXT,
            status TEXT NOT NULL CHECK (status IN ('processed', 'failed')),
            retry_count INTEGER NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
            error_message TEXT,
            processed_at TEXT,
            event_payload TEXT,
            source TEXT NOT NULL,
            dedupe_key TEXT NOT NULL,
            organization_id TEXT,
            stream_sequence INTEGER,
            received_at TEXT NOT NULL,
            UNIQUE (source, dedupe_key),
            CHECK ((status = 'processed') = (processed_at IS NOT NULL))
          );
          CREATE INDEX fw_domain_events_event_id ON fw_domain_events (event_id);
          CREATE INDEX fw_domain_events_status ON fw_domain_events (status, id);
          """)
    }
    // The first schema also indexed event_id, on its own. Nothing reads the ledger by event_id
    // alone (the dedupe check is the unique (source, dedupe_key) index), but every event paid for
    // a second random-key index: a new leaf page in most inserts of a 1,024-event transaction, a
    // growing share as the ledger grows (processor benchmark at 150,000 events: 15.7 → 12.3 KB
    // written and 12–16 % less CPU per event without it). docs/ARCHITECTURE.md says how to find
    // an event by id without it.
    migrator.registerMigration("consumer-runtime.v2.fw_domain_events.no-event-id-index") { db in
      try db.execute(sql: "DROP INDEX IF EXISTS fw_domain_events_event_id")
    }
  }

  /// The row for a dedupe key, if any.
  public static func row(_ db: Database, source: String, dedupeKey: String) throws -> LedgerEntry? {
    try LedgerEntry.fetchOne(
      db, sql: "SELECT * FROM fw_domain_events WHERE source = ? AND dedupe_key = ?",
      arguments: [source, dedupeKey])
  }

  /// The status for a dedupe key, if a row exists.
  public static func status(_ db: Database, source: String, dedupeKey: String) throws -> LedgerStatus? {
    let text = try db.fetchTextDirect(
      sql: "SELECT status FROM fw_domain_events WHERE source = ? AND dedupe_key = ?", source, dedupeKey)
    return text.flatMap(LedgerStatus.init(rawValue:))
  }

  /// Row counts per status (`processed`, `failed`); statuses without rows are absent.
  public static func stats(_ db: Database) throws -> [String: Int] {
    var counts: [String: Int] = [:]
    let rows = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM fw_domain_events GROUP BY status")
    for row in rows {
      let status: String = row["status"] ?? ""
      counts[status] = row["n"] ?? 0
    }
    return counts
  }

  /// The most recent failed rows first, at most `limit`.
  public static func failed(_ db: Database, limit: Int) throws -> [LedgerEntry] {
    try LedgerEntry.fetchAll(
      db, sql: "SELECT * FROM fw_domain_events WHERE status = 'failed' ORDER BY id DESC LIMIT ?",
      arguments: [max(limit, 0)])
  }

  /// Inserts or updates the row for `entry.source` + `entry.dedupeKey`.
  ///
  /// A `processed` row is never downgraded: writing a `failed` entry over it changes nothing
  /// (a later dead letter of an already processed event must not hide its effects).
  public static func upsert(_ db: Database, _ entry: LedgerEntry) throws {
    try insert(db, entry, sql: entry.status == .failed ? upsertKeepingProcessedSQL : upsertSQL)
  }

  /// Inserts `entry` unless a row for its source and dedupe key exists. Returns the new row's id,
  /// or nil when a row was there already (then nothing was written).
  static func insertIfAbsent(_ db: Database, _ entry: LedgerEntry) throws -> Int64? {
    try insert(db, entry, sql: insertIfAbsentSQL)
    return db.changesCount > 0 ? db.lastInsertedRowID : nil
  }

  /// Deletes the row `insertIfAbsent` returned the id of (its event failed without writing
  /// anything else, and must leave nothing).
  static func deleteClaim(_ db: Database, rowID: Int64) throws {
    try db.executeDirect(sql: "DELETE FROM fw_domain_events WHERE id = ?", rowID)
  }

  /// Runs `sql`, an `insertSQL` statement, with `entry`'s values.
  private static func insert(_ db: Database, _ entry: LedgerEntry, sql: String) throws {
    try db.executeDirect(
      sql: sql, entry.eventId, entry.eventName, entry.correlationId, entry.status.rawValue, entry.retryCount,
      entry.errorMessage, entry.processedAt, entry.eventPayload, entry.source, entry.dedupeKey,
      entry.organizationId, entry.streamSequence.map { Int64(clamping: $0) }, entry.receivedAt)
  }

  /// The INSERT of a whole row, for an ON CONFLICT clause to follow.
  private static let insertSQL = """
    INSERT INTO fw_domain_events (
      event_id, event_name, correlation_id, status, retry_count, error_message, processed_at,
      event_payload, source, dedupe_key, organization_id, stream_sequence, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

  private static let insertIfAbsentSQL = insertSQL + "\nON CONFLICT (source, dedupe_key) DO NOTHING"

  private static let upsertSQL = upsertSQL(guardClause: "")
  private static let upsertKeepingProcessedSQL = upsertSQL(
    guardClause: "WHERE fw_domain_events.status <> 'processed'")

  private static func upsertSQL(guardClause: String) -> String {
    insertSQL + """

      ON CONFLICT (source, dedupe_key) DO UPDATE SET
        event_id = excluded.event_id,
        event_name = excluded.event_name,
        correlation_id = excluded.correlation_id,
        status = excluded.status,
        retry_count = excluded.retry_count,
        error_message = excluded.error_message,
        processed_at = excluded.processed_at,
        event_payload = excluded.event_payload,
        organization_id = excluded.organization_id,
        stream_sequence = excluded.stream_sequence,
        received_at = excluded.received_at
      \(guardClause)
      """
  }
}
