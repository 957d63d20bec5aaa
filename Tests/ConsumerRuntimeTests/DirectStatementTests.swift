import GRDB
import XCTest

@testable import ConsumerRuntime

final class DirectStatementTests: XCTestCase {
  var queue: DatabaseQueue!

  override func setUpWithError() throws {
    queue = try DatabaseQueue()
    try queue.write { db in
      try db.execute(
        sql: "CREATE TABLE t (k TEXT PRIMARY KEY, i INTEGER, r REAL, b INTEGER, o TEXT, big INTEGER)")
    }
  }

  func testEveryKindOfValueIsStoredWithItsSQLiteType() throws {
    try queue.write { db in
      try db.executeDirect(
        sql: "INSERT INTO t (k, i, r, b, o, big) VALUES (?, ?, ?, ?, ?, ?)",
        "é😀 key", 42, 1.5, true, String?.none, Int64.max)
      try db.executeDirect(
        sql: "INSERT INTO t (k, i, r, b, o, big) VALUES (?, ?, ?, ?, ?, ?)",
        "", Int?.none, -0.25, false, String?.some("x"), Int64?.some(-7))
    }
    try queue.read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT k, typeof(k) AS tk, i, r, b, o, typeof(o) AS t_o, typeof(i) AS ti, big
          FROM t ORDER BY rowid
          """)
      XCTAssertEqual(rows.count, 2)
      XCTAssertEqual(rows[0]["k"] as String?, "é😀 key")
      XCTAssertEqual(rows[0]["i"] as Int?, 42)
      XCTAssertEqual(rows[0]["r"] as Double?, 1.5)
      XCTAssertEqual(rows[0]["b"] as Int?, 1)
      XCTAssertEqual(rows[0]["t_o"] as String?, "null")
      XCTAssertEqual(rows[0]["big"] as Int64?, Int64.max)
      // An empty string is text, not NULL.
      XCTAssertEqual(rows[1]["k"] as String?, "")
      XCTAssertEqual(rows[1]["tk"] as String?, "text")
      XCTAssertEqual(rows[1]["ti"] as String?, "null")
      XCTAssertEqual(rows[1]["r"] as Double?, -0.25)
      XCTAssertEqual(rows[1]["b"] as Int?, 0)
      XCTAssertEqual(rows[1]["o"] as String?, "x")
      XCTAssertEqual(rows[1]["big"] as Int64?, -7)
    }
  }

  func testAWrongNumberOfValuesIsRefusedBeforeAnythingRuns() throws {
    try queue.write { db in
      XCTAssertThrowsError(try db.executeDirect(sql: "INSERT INTO t (k, i) VALUES (?, ?)", "a")) { error in
        let error = error as? DatabaseError
        XCTAssertEqual(error?.resultCode, .SQLITE_MISUSE)
        XCTAssertEqual(error?.message, "wrong number of statement arguments: 1, expected 2")
        XCTAssertEqual(error?.sql, "INSERT INTO t (k, i) VALUES (?, ?)")
      }
      // Too many values fail in the bind itself (SQLITE_RANGE).
      XCTAssertThrowsError(try db.executeDirect(sql: "INSERT INTO t (k) VALUES (?)", "a", 1)) { error in
        XCTAssertEqual((error as? DatabaseError)?.resultCode, .SQLITE_RANGE)
      }
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t"), 0)
    }
  }

  func testAFailedStepThrowsSQLitesErrorAndTheStatementStaysUsable() throws {
    let sql = "INSERT INTO t (k, i) VALUES (?, ?)"
    try queue.write { db in
      try db.executeDirect(sql: sql, "a", 1)
      XCTAssertThrowsError(try db.executeDirect(sql: sql, "a", 2)) { error in
        let error = error as? DatabaseError
        XCTAssertEqual(error?.resultCode, .SQLITE_CONSTRAINT)
        XCTAssertEqual(error?.extendedResultCode, .SQLITE_CONSTRAINT_PRIMARYKEY)
        XCTAssertEqual(error?.message, "UNIQUE constraint failed: t.k")
        XCTAssertEqual(error?.sql, sql)
      }
      try db.executeDirect(sql: sql, "b", 3)
      XCTAssertEqual(try Int.fetchAll(db, sql: "SELECT i FROM t ORDER BY k"), [1, 3])
    }
  }

  func testReadsReturnTheFirstRowAndReleaseTheStatement() throws {
    try queue.write { db in
      try db.executeDirect(sql: "INSERT INTO t (k, o) VALUES (?, ?)", "a", "first")
      try db.executeDirect(sql: "INSERT INTO t (k, o) VALUES (?, ?)", "b", "second")
      try db.executeDirect(sql: "INSERT INTO t (k, o) VALUES (?, ?)", "c", String?.none)
    }
    try queue.write { db in
      XCTAssertEqual(try db.fetchTextDirect(sql: "SELECT o FROM t WHERE k >= ? ORDER BY k", "a"), "first")
      XCTAssertEqual(try db.fetchTextDirect(sql: "SELECT o FROM t WHERE k >= ? ORDER BY k", "b"), "second")
      XCTAssertNil(try db.fetchTextDirect(sql: "SELECT o FROM t WHERE k >= ? ORDER BY k", "z"))
      XCTAssertFalse(try db.existsDirect(sql: "SELECT 1 FROM t WHERE k > ?", "c"))
      XCTAssertTrue(try db.existsDirect(sql: "SELECT 1 FROM t WHERE k > ?", "a"))
      // NULL in the first row (and more rows after it) reads as nil.
      XCTAssertNil(try db.fetchTextDirect(sql: "SELECT o FROM t WHERE k >= ? ORDER BY k DESC", "a"))
      // A statement left on a pending row would keep the table busy: DROP TABLE would fail with
      // "database table is locked".
      try db.execute(sql: "DROP TABLE t")
    }
  }
}
