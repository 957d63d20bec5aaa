import GRDB
import GRDBSQLite

/// A value bound straight to a statement parameter through the SQLite C API.
///
/// The direct path exists for the statements every event runs (ledger, outbox, the handlers'
/// per-event rows). GRDB's `execute(arguments:)` boxes each value as an existential, builds and
/// validates a `StatementArguments` array, and runs its observation hooks on every execution:
/// measured with perf, that was ~15 % of a service's CPU, more than SQLite's own work in those
/// statements.
public protocol DirectBindable {
  /// Binds the value to the 1-based parameter `index`; returns SQLite's result code.
  func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

/// SQLite copies the bytes before the bind call returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension String: DirectBindable {
  public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
    var text = self
    return text.withUTF8 { bytes in
      // An empty buffer may have no address, and a null pointer would bind NULL, not ''.
      guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, transient) }
      guard let count = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
      return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
        sqlite3_bind_text(statement, index, $0, count, transient)
      }
    }
  }
}

extension Int: DirectBindable {
  public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
    sqlite3_bind_int64(statement, index, Int64(self))
  }
}

extension Int64: DirectBindable {
  public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
    sqlite3_bind_int64(statement, index, self)
  }
}

extension Double: DirectBindable {
  public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
    sqlite3_bind_double(statement, index, self)
  }
}

extension Bool: DirectBindable {
  public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
    sqlite3_bind_int64(statement, index, self ? 1 : 0)
  }
}

extension Optional: DirectBindable where Wrapped: DirectBindable {
  public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
    guard let value = self else { return sqlite3_bind_null(statement, index) }
    return value.bind(to: statement, at: index)
  }
}

extension Database {
  /// Runs `sql` (prepared once per connection, in GRDB's statement cache) with `values` bound
  /// in order, through the SQLite C API.
  ///
  /// For the statements of the per-event path, inside a transaction GRDB opened. It skips GRDB's
  /// transaction observation, so it must not write tables a `TransactionObserver` watches (the
  /// services register none). A failure throws `DatabaseError` like GRDB's own execution does.
  public func executeDirect<each V: DirectBindable>(sql: String, _ values: repeat each V) throws {
    let statement = try directStatement(sql: sql, repeat each values)
    while true {
      switch sqlite3_step(statement) {
      case SQLITE_DONE: return
      case SQLITE_ROW: continue
      case let code: throw directFailure(code, sql: sql)
      }
    }
  }

  /// The first column of the first row `sql` returns, as text; nil without a row or for NULL.
  public func fetchTextDirect<each V: DirectBindable>(sql: String, _ values: repeat each V) throws -> String?
  {
    let statement = try directStatement(sql: sql, repeat each values)
    switch sqlite3_step(statement) {
    case SQLITE_ROW:
      // Reset, so that no read stays open on the statement.
      defer { sqlite3_reset(statement) }
      guard let text = sqlite3_column_text(statement, 0) else { return nil }
      let count = Int(sqlite3_column_bytes(statement, 0))
      return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    case SQLITE_DONE: return nil
    case let code: throw directFailure(code, sql: sql)
    }
  }

  /// Whether `sql` returns at least one row.
  public func existsDirect<each V: DirectBindable>(sql: String, _ values: repeat each V) throws -> Bool {
    let statement = try directStatement(sql: sql, repeat each values)
    switch sqlite3_step(statement) {
    case SQLITE_ROW:
      sqlite3_reset(statement)
      return true
    case SQLITE_DONE: return false
    case let code: throw directFailure(code, sql: sql)
    }
  }

  /// The cached statement for `sql`, reset, with `values` bound and their count checked.
  private func directStatement<each V: DirectBindable>(sql: String, _ values: repeat each V) throws
    -> OpaquePointer
  {
    let statement = try cachedStatement(sql: sql).sqliteStatement
    // Resets after a row left pending or a failed step; the return code repeats that step's
    // error, which was thrown already.
    sqlite3_reset(statement)
    var index: Int32 = 0
    for value in repeat each values {
      index += 1
      let code = value.bind(to: statement, at: index)
      guard code == SQLITE_OK else { throw directFailure(code, sql: sql) }
    }
    let expected = sqlite3_bind_parameter_count(statement)
    guard index == expected else {
      throw DatabaseError(
        resultCode: .SQLITE_MISUSE,
        message: "wrong number of statement arguments: \(index), expected \(expected)",
        sql: sql)
    }
    return statement
  }

  private func directFailure(_ code: Int32, sql: String) -> DatabaseError {
    let message = sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
    return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
  }
}
