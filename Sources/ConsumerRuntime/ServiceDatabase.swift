import Foundation
import GRDB

/// A consumer service's SQLite file: a GRDB `DatabasePool` in WAL mode holding the ledger, the
/// notification outbox and the service's own tables.
///
/// The file (and its `-wal`/`-shm` companions) is readable by its owner only (mode 0600): it holds
/// clinical identifiers. Writes are serialized by the pool, so concurrent `EventProcessor.process`
/// calls each get their own transaction.
public final class ServiceDatabase: Sendable {
  /// The connection pool (one writer, concurrent readers).
  public let pool: DatabasePool
  /// Path of the SQLite file.
  public let path: String

  /// How long a writer waits for a lock held by another process (e.g. the CLI) before failing.
  public static let busyTimeout: TimeInterval = 10

  /// Opens (creating if needed) the database of `handler`'s service and runs the migrations:
  /// ledger, outbox, then the handler's own.
  public convenience init(path: String, handler: some ServiceHandler) throws {
    try self.init(path: path, registerMigrations: { handler.registerMigrations(&$0) })
  }

  /// Opens (creating if needed) a service database with the runtime's tables plus the
  /// migrations added by `registerMigrations`.
  public init(path: String, registerMigrations: (inout DatabaseMigrator) -> Void) throws {
    self.path = path
    try ServiceDatabase.createOwnerOnly(path: path)
    var configuration = Configuration()
    configuration.busyMode = .timeout(ServiceDatabase.busyTimeout)
    configuration.label = "service-database"
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
      // An ACK follows every COMMIT, so a commit must survive a power loss, not only a crash of
      // the process: the WAL is synced at each commit (GRDB's WAL default is NORMAL, which syncs
      // only at checkpoints). Events are committed in batches, so this costs one sync per batch.
      // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: each event dirties ~12 pages
      // (random UUID keys in several indexes), so the default checkpointed after almost every
      // batch and copied the same hot pages again each time (measured: ~20% more events/s).
      // journal_size_limit truncates the WAL back to 64 MB after a checkpoint.
      try pool.writeWithoutTransaction { db in
        try db.execute(
          sql:
            "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864"
        )
      }
    } catch {
      throw ServiceDatabaseError(
        message: "cannot open the service database", path: path, underlying: String(describing: error))
    }
    var migrator = DatabaseMigrator()
    Ledger.registerMigrations(&migrator)
    NotificationOutbox.registerMigrations(&migrator)
    registerMigrations(&migrator)
    do {
      try migrator.migrate(pool)
    } catch {
      throw ServiceDatabaseError(
        message: "migrations failed", path: path, underlying: String(describing: error))
    }
    try restrictPermissions()
  }

  /// Sets mode 0600 on the database file and on its `-wal` and `-shm` files when they exist.
  /// Called after opening; SQLite creates later `-wal`/`-shm` files with the database file's mode.
  public func restrictPermissions() throws {
    for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
      do {
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
      } catch {
        throw ServiceDatabaseError(
          message: "cannot restrict file permissions", path: file, underlying: String(describing: error))
      }
    }
  }

  /// Creates an empty file with mode 0600 unless it exists, so the database never exists with a
  /// wider mode, whatever the umask.
  private static func createOwnerOnly(path: String) throws {
    if FileManager.default.fileExists(atPath: path) { return }
    let created = FileManager.default.createFile(
      atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
    if !created {
      throw ServiceDatabaseError(message: "cannot create the service database file", path: path)
    }
  }
}
