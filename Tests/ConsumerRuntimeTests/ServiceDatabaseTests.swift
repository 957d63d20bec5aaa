import Foundation
import GRDB
import Synchronization
import XCTest

@testable import ConsumerRuntime

final class ServiceDatabaseTests: XCTestCase {
  var temp: TempDirectory!

  override func setUpWithError() throws {
    temp = try TempDirectory()
  }

  override func tearDown() {
    temp.remove()
  }

  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let permissions = try XCTUnwrap(attributes[.posixPermissions] as? NSNumber)
    return permissions.intValue & 0o777
  }

  func testFilesAreOwnerOnlyAndJournalIsWAL() async throws {
    let path = temp.path("svc.sqlite")
    let database = try ServiceDatabase(path: path, handler: TestHandler())
    try await database.pool.write { db in
      try db.execute(sql: "INSERT INTO test_effects (event_id, organization_id) VALUES ('e', 'o')")
    }
    // Readers open the -shm file; make sure every companion exists before checking.
    _ = try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_effects") }

    XCTAssertEqual(try mode(path), 0o600)
    for companion in [path + "-wal", path + "-shm"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: companion), companion)
      XCTAssertEqual(try mode(companion), 0o600, companion)
    }
    let journal = try await database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    XCTAssertEqual(journal, "wal")
    // FULL (2): each commit is synced before the ack that follows it.
    let synchronous = try await database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
    XCTAssertEqual(synchronous, 2)
    let checkpoint = try await database.pool.write { db in
      try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
    }
    XCTAssertEqual(checkpoint, ServiceDatabase.writerAutoCheckpointBytes / 8192)
    // A new file: 8 KB pages (half the WAL frames of SQLite's 4 KB for the same rows).
    let pageSize = try await database.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
    XCTAssertEqual(pageSize, ServiceDatabase.pageSize)
    XCTAssertEqual(ServiceDatabase.pageSize, 8192)
    // MEMORY (2): savepoints' statement journals stay off the disk.
    let tempStore = try await database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
    XCTAssertEqual(tempStore, 2)
    let walLimit = try await database.pool.write { db in
      try Int.fetchOne(db, sql: "PRAGMA journal_size_limit")
    }
    XCTAssertEqual(walLimit, ServiceDatabase.walSizeLimitBytes)
    // A WAL at the writer's auto-checkpoint (frames of a page and a 24-byte header, after the
    // 32-byte file header) is not truncated when it restarts, whatever the file's page size.
    for size in [1024, 4096, 8192, 65536] {
      XCTAssertGreaterThan(
        ServiceDatabase.walSizeLimitBytes,
        32 + ServiceDatabase.writerAutoCheckpointPages(pageSize: size) * (size + 24), "\(size)")
    }
    // Negative: KiB. The writer's cache holds the indexes' pages between transactions.
    let cache = try await database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
    XCTAssertEqual(cache, -ServiceDatabase.writerCacheKiB)
  }

  /// A database created before the page size changed keeps its 4 KB pages (SQLite changes the
  /// size only in a VACUUM), and its auto-checkpoint still comes at ~80 MB of WAL.
  func testAnExistingFileKeepsItsPageSize() async throws {
    let path = temp.path("old.sqlite")
    let old = try DatabaseQueue(path: path)
    try await old.write { db in
      try db.execute(sql: "CREATE TABLE before_the_change (id INTEGER PRIMARY KEY)")
    }
    try old.close()

    let database = try ServiceDatabase(path: path, handler: TestHandler())
    let pageSize = try await database.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
    XCTAssertEqual(pageSize, 4096)
    let checkpoint = try await database.pool.write { db in
      try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
    }
    XCTAssertEqual(checkpoint, ServiceDatabase.writerAutoCheckpointBytes / 4096)
    try await database.pool.write { db in
      try db.execute(sql: "INSERT INTO test_effects (event_id, organization_id) VALUES ('e', 'o')")
    }
    let rows = try await database.pool.read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_effects")
    }
    XCTAssertEqual(rows, 1)
  }

  /// Checkpoints come every 100 ms at a moderate rate (small checkpoints, short fsync stalls for
  /// the commits), every 500 ms under a sustained high one (each hot page copied once).
  func testTheCheckpointCadenceFollowsTheInboundRate() {
    XCTAssertEqual(ServiceDatabase.checkpointDelay(messagesPerSecond: 0), .milliseconds(100))
    XCTAssertEqual(ServiceDatabase.checkpointDelay(messagesPerSecond: 2_300), .milliseconds(100))
    XCTAssertEqual(
      ServiceDatabase.checkpointDelay(messagesPerSecond: ServiceDatabase.busyMessagesPerSecond),
      .milliseconds(100))
    XCTAssertEqual(ServiceDatabase.checkpointDelay(messagesPerSecond: 14_000), .milliseconds(500))
  }

  /// The background checkpoint copies the committed WAL into the database file.
  func testCheckpointCopiesTheWALIntoTheDatabaseFile() async throws {
    let path = temp.path("svc.sqlite")
    let database = try ServiceDatabase(path: path, handler: TestHandler())
    try await database.pool.write { db in
      for i in 0..<200 {
        try db.execute(
          sql: "INSERT INTO test_effects (event_id, organization_id) VALUES (?, 'o')", arguments: ["e\(i)"])
      }
    }
    let checkpointed = try await database.checkpoint()
    let result = try XCTUnwrap(checkpointed)
    XCTAssertGreaterThan(result.walFrames, 0)
    XCTAssertEqual(result.checkpointedFrames, result.walFrames, "everything committed is checkpointed")
    let fresh = try DatabaseQueue(path: path)
    let count = try await fresh.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_effects") }
    XCTAssertEqual(count, 200)
  }

  /// While another connection checkpoints (here a TRUNCATE checkpoint that holds SQLite's
  /// checkpoint lock while it waits for an old reader; in a service, the writer's own
  /// auto-checkpoint), the background checkpoint is skipped (nil), not an error; once the lock is
  /// free it runs again.
  func testCheckpointIsSkippedWhileAnotherConnectionCheckpoints() async throws {
    let path = temp.path("svc.sqlite")
    let database = try ServiceDatabase(path: path, handler: TestHandler())
    func insert(_ range: Range<Int>) async throws {
      try await database.pool.write { db in
        for i in range {
          try db.execute(
            sql: "INSERT INTO test_effects (event_id, organization_id) VALUES (?, 'o')", arguments: ["e\(i)"])
        }
      }
    }
    try await insert(0..<50)
    // A reader holds a snapshot older than the WAL's end...
    let reader = try DatabaseQueue(path: path)
    let readerHolds = DispatchSemaphore(value: 0)
    let readerMayEnd = DispatchSemaphore(value: 0)
    let readerThread = Thread {
      try? reader.inDatabase { db in
        try db.execute(sql: "BEGIN DEFERRED")
        _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_effects")
        readerHolds.signal()
        readerMayEnd.wait()
        try db.execute(sql: "COMMIT")
      }
    }
    readerThread.start()
    readerHolds.wait()
    try await insert(50..<100)
    // ...so a TRUNCATE checkpoint on a third connection takes the checkpoint lock and waits for it.
    // Taking the lock fails at once while one of the checks below holds it, so it is retried
    // until it succeeds (then it holds the lock until the reader ends) or the check is over.
    var configuration = Configuration()
    configuration.busyMode = .timeout(20)
    let blocker = try DatabaseQueue(path: path, configuration: configuration)
    let checking = Mutex(true)
    let blockerDone = DispatchSemaphore(value: 0)
    let blockerThread = Thread {
      while checking.withLock({ $0 }) {
        if (try? blocker.writeWithoutTransaction { db in try db.checkpoint(.truncate) }) != nil { break }
        Thread.sleep(forTimeInterval: 0.001)
      }
      blockerDone.signal()
    }
    blockerThread.start()

    var skipped = false
    let deadline = ContinuousClock.now + .seconds(10)
    while !skipped && ContinuousClock.now < deadline {
      skipped = try await database.checkpoint() == nil
      if !skipped { try await Task.sleep(for: .milliseconds(10)) }
    }
    checking.withLock { $0 = false }
    readerMayEnd.signal()
    blockerDone.wait()
    XCTAssertTrue(skipped, "a checkpoint while another one holds the lock is reported as skipped")
    let checkpointed = try await database.checkpoint()
    let after = try XCTUnwrap(checkpointed)
    XCTAssertEqual(after.checkpointedFrames, after.walFrames)
  }

  func testExistingFileWithWiderModeIsRestricted() throws {
    let path = temp.path("wide.sqlite")
    XCTAssertTrue(
      FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
    _ = try ServiceDatabase(path: path, handler: TestHandler())
    XCTAssertEqual(try mode(path), 0o600)
  }

  func testMigrationsCreateRuntimeAndServiceTablesAndReopenCleanly() throws {
    let path = temp.path("svc.sqlite")
    _ = try ServiceDatabase(path: path, handler: TestHandler())
    let reopened = try ServiceDatabase(path: path, handler: TestHandler())
    let tables = try reopened.pool.read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    }
    XCTAssertTrue(tables.contains("fw_domain_events"))
    XCTAssertTrue(tables.contains("pf_notifications"))
    XCTAssertTrue(tables.contains("test_effects"))
  }

  func testOpeningInAMissingDirectoryFailsWithATypedError() {
    let path = temp.path("missing/dir/svc.sqlite")
    XCTAssertThrowsError(try ServiceDatabase(path: path, handler: TestHandler())) { error in
      XCTAssertTrue(error is ServiceDatabaseError, "\(error)")
    }
  }
}
