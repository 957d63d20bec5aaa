import Foundation
import GRDB
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
    XCTAssertEqual(checkpoint, ServiceDatabase.writerAutoCheckpointPages)
    // MEMORY (2): savepoints' statement journals stay off the disk.
    let tempStore = try await database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
    XCTAssertEqual(tempStore, 2)
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
    let result = try await database.checkpoint()
    XCTAssertGreaterThan(result.walFrames, 0)
    XCTAssertEqual(result.checkpointedFrames, result.walFrames, "everything committed is checkpointed")
    let fresh = try DatabaseQueue(path: path)
    let count = try await fresh.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_effects") }
    XCTAssertEqual(count, 200)
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
