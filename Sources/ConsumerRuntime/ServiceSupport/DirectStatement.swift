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
  /// The bytes this value's text takes in the statement's `DirectTextBuffer` (0 for numbers and NULL).
  var directTextByteCount: Int { get }
  /// Binds the value to the 1-based parameter `index` (text is copied into `text`, which outlives
  /// the statement's step); returns SQLite's result code.
  func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32
}

/// The text of one execution's parameters, copied side by side into one allocation that stays
/// valid until the statement has run and its parameters are cleared: SQLite reads the text in
/// place (`SQLITE_STATIC`).
///
/// With `SQLITE_TRANSIENT` SQLite copied every text parameter into a buffer of its own, freed
/// again when the parameter was next bound: a `malloc` and a `free` per text value, ~45 per event
/// in charge-capture (a third of the event's allocations), each through SQLite's allocator.
public struct DirectTextBuffer {
  private let base: UnsafeMutableRawPointer?
  private let capacity: Int
  private var used = 0

  /// Room for `capacity` bytes (nothing is allocated for 0).
  init(capacity: Int) {
    self.capacity = capacity
    base = capacity > 0 ? UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1) : nil
  }

  /// Copies `bytes` in and returns where they are; nil when `bytes` is empty or there is no room.
  mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar>? {
    guard let base, let source = bytes.baseAddress, bytes.count > 0, used + bytes.count <= capacity else {
      return nil
    }
    let destination = base + used
    destination.copyMemory(from: source, byteCount: bytes.count)
    used += bytes.count
    return UnsafePointer(destination.assumingMemoryBound(to: CChar.self))
  }

  /// Frees the allocation; only after SQLite no longer holds pointers into it.
  func deallocate() { base?.deallocate() }
}

/// SQLite reads the bytes in place, for as long as they are bound.
private let staticText = unsafeBitCast(OpaquePointer(bitPattern: 0), to: sqlite3_destructor_type.self)
/// SQLite copies the bytes before the bind call returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension String: DirectBindable {
  public var directTextByteCount: Int { utf8.count }

  public func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32 {
    var value = self
    return value.withUTF8 { bytes in
      guard let count = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
      // An empty value has no bytes to point at (and a null pointer would bind NULL, not '').
      guard let stored = text.store(bytes) else {
        return sqlite3_bind_text(statement, index, "", 0, transient)
      }
      return sqlite3_bind_text(statement, index, stored, count, staticText)
    }
  }
}

extension Int: DirectBindable {
  public var directTextByteCount: Int { 0 }
  public func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32 {
    sqlite3_bind_int64(statement, index, Int64(self))
  }
}

extension Int64: DirectBindable {
  public var directTextByteCount: Int { 0 }
  public func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32 {
    sqlite3_bind_int64(statement, index, self)
  }
}

extension Double: DirectBindable {
  public var directTextByteCount: Int { 0 }
  public func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32 {
    sqlite3_bind_double(statement, index, self)
  }
}

extension Bool: DirectBindable {
  public var directTextByteCount: Int { 0 }
  public func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32 {
    sqlite3_bind_int64(statement, index, self ? 1 : 0)
  }
}

extension Optional: DirectBindable where Wrapped: DirectBindable {
  public var directTextByteCount: Int { self?.directTextByteCount ?? 0 }
  public func bind(to statement: OpaquePointer, at index: Int32, text: inout DirectTextBuffer) -> Int32 {
    guard let value = self else { return sqlite3_bind_null(statement, index) }
    return value.bind(to: statement, at: index, text: &text)
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
    try withDirectStatement(sql: sql, repeat each values) { statement in
      while true {
        switch sqlite3_step(statement) {
        case SQLITE_DONE: return
        case SQLITE_ROW: continue
        case let code: throw directFailure(code, sql: sql)
        }
      }
    }
  }

  /// The first column of the first row `sql` returns, as text; nil without a row or for NULL.
  public func fetchTextDirect<each V: DirectBindable>(sql: String, _ values: repeat each V) throws -> String?
  {
    try withDirectStatement(sql: sql, repeat each values) { statement in
      switch sqlite3_step(statement) {
      case SQLITE_ROW:
        guard let text = sqlite3_column_text(statement, 0) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, 0))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
      case SQLITE_DONE: return nil
      case let code: throw directFailure(code, sql: sql)
      }
    }
  }

  /// Whether `sql` returns at least one row.
  public func existsDirect<each V: DirectBindable>(sql: String, _ values: repeat each V) throws -> Bool {
    try withDirectStatement(sql: sql, repeat each values) { statement in
      switch sqlite3_step(statement) {
      case SQLITE_ROW: return true
      case SQLITE_DONE: return false
      case let code: throw directFailure(code, sql: sql)
      }
    }
  }

  /// Runs `body` with the cached statement for `sql`, reset, with `values` bound (their count
  /// checked). Afterwards the statement is reset (no read stays open on it) and its parameters
  /// cleared before their text is freed, so it never points at freed memory.
  private func withDirectStatement<each V: DirectBindable, T>(
    sql: String, _ values: repeat each V, body: (OpaquePointer) throws -> T
  ) throws -> T {
    let statement = try cachedStatement(sql: sql).sqliteStatement
    // Resets after a row left pending or a failed step; the return code repeats that step's
    // error, which was thrown already.
    sqlite3_reset(statement)
    var textBytes = 0
    for value in repeat each values { textBytes += value.directTextByteCount }
    var text = DirectTextBuffer(capacity: textBytes)
    defer {
      sqlite3_reset(statement)
      sqlite3_clear_bindings(statement)
      text.deallocate()
    }
    var index: Int32 = 0
    for value in repeat each values {
      index += 1
      let code = value.bind(to: statement, at: index, text: &text)
      guard code == SQLITE_OK else { throw directFailure(code, sql: sql) }
    }
    let expected = sqlite3_bind_parameter_count(statement)
    guard index == expected else {
      throw DatabaseError(
        resultCode: .SQLITE_MISUSE,
        message: "wrong number of statement arguments: \(index), expected \(expected)",
        sql: sql)
    }
    return try body(statement)
  }

  private func directFailure(_ code: Int32, sql: String) -> DatabaseError {
    let message = sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
    return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
  }
}
