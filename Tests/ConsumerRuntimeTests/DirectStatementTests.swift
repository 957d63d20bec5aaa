import GRDB
import GRDBSQLite
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

  /// Text values are copied side by side into one buffer SQLite reads in place: every value,
  /// long or short, ASCII or not, is stored exactly, next to numbers and NULLs.
  func testManyTextValuesOfEveryLengthAreStoredExactly() throws {
    let long = String(repeating: "é😀 payload ", count: 20_000)
    let values = ["", "a", "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86", long, "ñ"]
    try queue.write { db in
      try db.executeDirect(
        sql: "CREATE TABLE many (a TEXT, b TEXT, c INTEGER, d TEXT, e TEXT, f TEXT, g TEXT)")
      for (index, value) in values.enumerated() {
        let next = values[(index + 1) % values.count]
        try db.executeDirect(
          sql: "INSERT INTO many (a, b, c, d, e, f, g) VALUES (?, ?, ?, ?, ?, ?, ?)", value, next, index,
          String?.none, long, value + next, "z")
      }
      let rows = try Row.fetchAll(db, sql: "SELECT * FROM many ORDER BY rowid")
      XCTAssertEqual(rows.count, values.count)
      for (index, row) in rows.enumerated() {
        let next = values[(index + 1) % values.count]
        XCTAssertEqual(row["a"] as String?, values[index])
        XCTAssertEqual(row["b"] as String?, next)
        XCTAssertEqual(row["c"] as Int?, index)
        XCTAssertNil(row["d"] as String?)
        XCTAssertEqual(row["e"] as String?, long)
        XCTAssertEqual(row["f"] as String?, values[index] + next)
        XCTAssertEqual(row["g"] as String?, "z")
      }
    }
  }

  /// SQLite reads the text in place, so no statement may keep pointers into it afterwards: after
  /// every call, also a failed one, the statement's parameters are NULL again.
  func testNoStatementKeepsItsParametersAfterTheCall() throws {
    func boundSQL(_ db: Database, _ sql: String) throws -> String? {
      let statement = try db.cachedStatement(sql: sql).sqliteStatement
      guard let expanded = sqlite3_expanded_sql(statement) else { return nil }
      defer { sqlite3_free(expanded) }
      return String(cString: expanded)
    }
    let insert = "INSERT INTO t (k, o) VALUES (?, ?)"
    let select = "SELECT o FROM t WHERE k = ?"
    let exists = "SELECT 1 FROM t WHERE k = ?"
    try queue.write { db in
      try db.executeDirect(sql: insert, "key-1", "value-1")
      XCTAssertEqual(try boundSQL(db, insert), "INSERT INTO t (k, o) VALUES (NULL, NULL)")
      XCTAssertEqual(try db.fetchTextDirect(sql: select, "key-1"), "value-1")
      XCTAssertEqual(try boundSQL(db, select), "SELECT o FROM t WHERE k = NULL")
      XCTAssertTrue(try db.existsDirect(sql: exists, "key-1"))
      XCTAssertEqual(try boundSQL(db, exists), "SELECT 1 FROM t WHERE k = NULL")
      XCTAssertThrowsError(try db.executeDirect(sql: insert, "key-1", "duplicate"))
      XCTAssertEqual(try boundSQL(db, insert), "INSERT INTO t (k, o) VALUES (NULL, NULL)")
      XCTAssertThrowsError(try db.executeDirect(sql: insert, "key-2", "v", "one too many"))
      XCTAssertEqual(try boundSQL(db, insert), "INSERT INTO t (k, o) VALUES (NULL, NULL)")
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t"), 1)
    }
  }
}
