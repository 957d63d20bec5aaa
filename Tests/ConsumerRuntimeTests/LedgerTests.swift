import GRDB
import XCTest

@testable import ConsumerRuntime

final class LedgerTests: XCTestCase {
  var temp: TempDirectory!
  var database: ServiceDatabase!

  override func setUpWithError() throws {
    temp = try TempDirectory()
    database = try ServiceDatabase(path: temp.path("ledger.sqlite"), handler: TestHandler())
  }

  override func tearDown() {
    temp.remove()
  }

  func entry(
    _ key: String, status: LedgerStatus, retry: Int = 0, error: String? = nil, source: String = "svc"
  ) -> LedgerEntry {
    LedgerEntry(
      eventId: "id-\(key)", eventName: "progress_note_signed", correlationId: "c", status: status,
      retryCount: retry, errorMessage: error,
      processedAt: status == .processed ? "2026-04-17T10:00:00.000Z" : nil,
      eventPayload: "{}", source: source, dedupeKey: key, organizationId: "org", streamSequence: 3,
      receivedAt: "2026-04-17T10:00:00.000Z")
  }

  func testUpsertStatsAndFailedListing() throws {
    try database.pool.write { db in
      try Ledger.upsert(db, self.entry("a", status: .processed))
      try Ledger.upsert(db, self.entry("b", status: .failed, retry: 3, error: "boom"))
      try Ledger.upsert(db, self.entry("c", status: .failed, error: "bad"))
      try Ledger.upsert(db, self.entry("a", status: .processed, source: "other-svc"))
    }
    try database.pool.read { db in
      XCTAssertEqual(try Ledger.stats(db), ["processed": 2, "failed": 2])
      XCTAssertEqual(try Ledger.failed(db, limit: 10).map(\.dedupeKey), ["c", "b"])
      XCTAssertEqual(try Ledger.failed(db, limit: 1).map(\.dedupeKey), ["c"])
      let b = try XCTUnwrap(try Ledger.row(db, source: "svc", dedupeKey: "b"))
      XCTAssertEqual(b.retryCount, 3)
      XCTAssertEqual(b.errorMessage, "boom")
      XCTAssertNil(b.processedAt)
      XCTAssertEqual(b.streamSequence, 3)
      XCTAssertNotNil(b.id)
      XCTAssertNil(try Ledger.row(db, source: "svc", dedupeKey: "zzz"))
    }
  }

  func testFailedEntryNeverDowngradesAProcessedRow() throws {
    try database.pool.write { db in
      try Ledger.upsert(db, self.entry("a", status: .processed))
      try Ledger.upsert(db, self.entry("a", status: .failed, retry: 3, error: "late failure"))
    }
    let row = try database.pool.read { db in try Ledger.row(db, source: "svc", dedupeKey: "a") }
    XCTAssertEqual(row?.status, .processed)
    XCTAssertNil(row?.errorMessage)
  }

  func testSchemaRejectsInconsistentRows() throws {
    // processed_at must be set iff status is processed; status must be one of the two values.
    XCTAssertThrowsError(
      try database.pool.write { db in
        var bad = self.entry("x", status: .failed)
        bad.processedAt = "2026-04-17T10:00:00.000Z"
        try Ledger.upsert(db, bad)
      })
    XCTAssertThrowsError(
      try database.pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO fw_domain_events (event_id, event_name, status, source, dedupe_key, received_at)
            VALUES ('e', 'n', 'pending', 's', 'k', 't')
            """)
      })
  }

  /// The ledger's indexes: the unique dedupe key and the status listing, nothing on event_id
  /// alone (a random-key index every event paid for and nothing read).
  func testLedgerIndexesAreTheDedupeKeyAndTheStatusListing() throws {
    try database.pool.read { db in
      XCTAssertEqual(
        try Self.indexes(db), ["fw_domain_events_status", "sqlite_autoindex_fw_domain_events_1"])
    }
  }

  /// A ledger created by the first schema loses its event_id index when opened again and keeps
  /// its rows; the dedupe lookup still finds them.
  func testALedgerOfTheFirstSchemaDropsTheEventIdIndexAndKeepsItsRows() throws {
    let path = temp.path("v1.sqlite")
    do {
      let queue = try DatabaseQueue(path: path)
      var migrator = DatabaseMigrator()
      Ledger.registerMigrations(&migrator)
      try migrator.migrate(queue, upTo: "consumer-runtime.v1.fw_domain_events")
      try queue.write { db in try Ledger.upsert(db, self.entry("a", status: .processed)) }
      XCTAssertTrue(try queue.read { db in try Self.indexes(db) }.contains("fw_domain_events_event_id"))
    }
    let upgraded = try ServiceDatabase(path: path, handler: TestHandler())
    try upgraded.pool.read { db in
      XCTAssertEqual(
        try Self.indexes(db), ["fw_domain_events_status", "sqlite_autoindex_fw_domain_events_1"])
      XCTAssertEqual(try Ledger.status(db, source: "svc", dedupeKey: "a"), .processed)
      XCTAssertEqual(
        try String.fetchOne(db, sql: "SELECT dedupe_key FROM fw_domain_events WHERE event_id = 'id-a'"), "a")
    }
  }

  private static func indexes(_ db: Database) throws -> [String] {
    try String.fetchAll(
      db,
      sql:
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fw_domain_events' ORDER BY name")
  }
}
