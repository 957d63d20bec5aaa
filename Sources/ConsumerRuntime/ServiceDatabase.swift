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
  /// A separate connection that only checkpoints (`checkpoint()`), so copying the WAL into the
  /// database file never happens inside the writer's commit.
  private let checkpointer: DatabaseQueue

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
    // Before anything is written, so a new file gets 8 KB pages (`pageSize`); an existing file keeps
    // the page size it was created with (SQLite changes it only in a VACUUM).
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA page_size = \(ServiceDatabase.pageSize)")
    }
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
      // An ACK follows every COMMIT, so a commit must survive a power loss, not only a crash of
      // the process: the WAL is synced at each commit (GRDB's WAL default is NORMAL, which syncs
      // only at checkpoints). Events are committed in batches, so this costs one sync per batch.
      // Checkpoints run on their own connection (`checkpoint()`, called by the service as often as
      // `checkpointDelay` says), not in the writer's commit: each event dirties a page or more of
      // its own (random UUID keys in several indexes), so SQLite's default of a checkpoint every 1,000 pages ran
      // one after almost every batch, copying the same hot pages again and stalling the next
      // batch. The writer's own auto-checkpoint stays as a safety net at ~80 MB of WAL; it is
      // also what restarts the WAL from its beginning under a steady load (a restart needs a
      // fully checkpointed WAL at the start of a write, which commits every few ms rarely
      // leave). journal_size_limit (`walSizeLimitBytes`) is above that size, so the file is
      // reused as it is: a limit of 64 MB truncated it on every restart, and regrowing it
      // allocated and zeroed ~16 MB of blocks each time, in the writer's commits.
      // temp_store = MEMORY: when an event of a batch fails, the processor applies the batch again
      // with a savepoint per event, and SQLite copies every page an event first touches into the
      // savepoint's statement journal. By default that journal is a temporary file (`etilqs_*`);
      // with a savepoint per event it was two thirds of all bytes written (~35 KB per event) and
      // put copies of ledger pages (envelopes) on disk. In memory it is a few MB per batch at most.
      // cache_size: SQLite's default page cache (2 MB) is smaller than the service's hot index
      // pages, so most random-key index inserts read their leaf page again from the OS (pread
      // was 7 % of the service's CPU in the fleet benchmark); see `writerCacheKiB`.
      try pool.writeWithoutTransaction { db in
        let filePageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        let autoCheckpointPages = ServiceDatabase.writerAutoCheckpointPages(pageSize: filePageSize)
        try db.execute(
          sql: """
            PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = \(autoCheckpointPages); \
            PRAGMA journal_size_limit = \(ServiceDatabase.walSizeLimitBytes); PRAGMA temp_store = MEMORY; \
            PRAGMA cache_size = -\(ServiceDatabase.writerCacheKiB)
            """
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
    var checkpointConfiguration = Configuration()
    checkpointConfiguration.busyMode = .timeout(ServiceDatabase.busyTimeout)
    checkpointConfiguration.label = "service-database-checkpoint"
    do {
      checkpointer = try DatabaseQueue(path: path, configuration: checkpointConfiguration)
      try checkpointer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    } catch {
      throw ServiceDatabaseError(
        message: "cannot open the checkpoint connection", path: path, underlying: String(describing: error))
    }
    try restrictPermissions()
  }

  /// The writer connection's page cache, in KiB (64 MB, a ceiling: SQLite allocates pages as it
  /// reads them). Readers keep SQLite's default.
  public static let writerCacheKiB = 65_536

  /// The page size of a new service database: 8 KB, not SQLite's 4 KB. Every page a transaction
  /// dirties is written to the WAL as one frame, in two `pwrite` calls (frame header, page), and
  /// the kernel's work per call and per page touched, not the bytes copied, was most of the WAL's
  /// cost (6.8 % of the service's CPU in the fleet benchmark, 0.5 % of it copying). With 8 KB
  /// pages the ledger's appended rows and the indexes' leaves take half as many frames; a random
  /// key's leaf costs more bytes, but fewer distinct leaves are dirtied per transaction. The fleet
  /// benchmark measured ~3–5 % less service CPU per event (docs/BENCHMARKS.md).
  public static let pageSize = 8192

  /// The writer checkpoints by itself only when the WAL reaches about this many bytes (80 MB).
  public static let writerAutoCheckpointBytes = 80 * 1024 * 1024
  /// `wal_autocheckpoint` (counted in pages) for a file of `pageSize`-byte pages.
  public static func writerAutoCheckpointPages(pageSize: Int) -> Int {
    writerAutoCheckpointBytes / max(pageSize, 512)
  }
  /// The WAL file is truncated to this size after a restart only when it grew larger (a reader
  /// held checkpoints back); above `writerAutoCheckpointBytes` of frames of any page size.
  public static let walSizeLimitBytes = 128 * 1024 * 1024
  /// How long a service waits between background checkpoints (`checkpointDelay`): at a moderate
  /// rate, and under a sustained high one.
  public static let checkpointInterval: Duration = .milliseconds(100)
  public static let busyCheckpointInterval: Duration = .milliseconds(500)
  /// The inbound NATS message rate above which the service counts as busy.
  public static let busyMessagesPerSecond = 5_000.0

  /// The wait before the next background checkpoint, given the inbound message rate since the
  /// last one.
  ///
  /// A checkpoint ends with an fsync of the database file, and a commit that syncs the WAL
  /// meanwhile waits for it, the longer the more pages were copied. Once the ledger is larger
  /// than a transaction's share of its random-key indexes, nearly every event dirties pages of
  /// its own, so at 500 ms a checkpoint copied ~16 MB at 2,000 events/s and stalled commits for
  /// 30–80 ms: p99 46–69 ms after a 60,000-event run, against 19–25 ms in a fresh ledger. Every
  /// 100 ms keeps each checkpoint to a few MB (p99 26–46 ms in the same runs). Under a sustained
  /// high rate the latency is queueing anyway, and copying a hot page once per 500 ms instead of
  /// five times saves CPU and writes.
  public static func checkpointDelay(messagesPerSecond: Double) -> Duration {
    messagesPerSecond > busyMessagesPerSecond ? busyCheckpointInterval : checkpointInterval
  }

  /// Copies committed WAL frames into the database file (a PASSIVE checkpoint: never blocks the
  /// writer or readers) on the checkpoint connection, off the writer's queue. Returns the WAL
  /// size and how much of it is now in the database file, in frames; nil when another connection
  /// held SQLite's checkpoint lock at that moment (SQLITE_BUSY: under a sustained load, the
  /// writer's own auto-checkpoint at `writerAutoCheckpointBytes`), which is doing the same work.
  @discardableResult
  public func checkpoint() async throws -> (walFrames: Int, checkpointedFrames: Int)? {
    do {
      let result = try await checkpointer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
      return (result.walFrameCount, result.checkpointedFrameCount)
    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
      return nil
    }
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
