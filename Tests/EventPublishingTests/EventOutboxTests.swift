import CloudEvents
import EventPublishing
import Foundation
import GRDB
import NATSWire
import XCTest

/// A producer database: the outbox plus one business table written in the same transaction.
enum ProducerDatabase {
  static func make() throws -> DatabaseQueue {
    let queue = try DatabaseQueue()
    try migrate(queue)
    return queue
  }

  /// A WAL database file in a temp directory (removed by the test's teardown).
  static func makePool(_ test: XCTestCase) throws -> DatabasePool {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "outbox-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    let pool = try DatabasePool(path: directory.appendingPathComponent("producer.sqlite").path)
    try migrate(pool)
    return pool
  }

  static func migrate(_ writer: some DatabaseWriter) throws {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("patients") { db in
      try db.execute(sql: "CREATE TABLE patients (id TEXT PRIMARY KEY, mrn TEXT NOT NULL)")
    }
    EventOutbox.migrate(&migrator)
    try migrator.migrate(writer)
  }

  /// Writes a patient row and its event in one transaction.
  static func createPatient(_ db: Database, event: CloudEvent) throws {
    try db.execute(sql: "INSERT INTO patients (id, mrn) VALUES (?, ?)", arguments: [event.id, "PAT-1"])
    try EventOutbox.enqueue(db, event: event)
  }
}

final class EventOutboxTests: XCTestCase {
  func testEnqueueStoresTheEncodedEventInTheProducersTransaction() throws {
    let database = try ProducerDatabase.make()
    let event = try TestEvents.patientCreated()
    let created = Date(timeIntervalSince1970: 1_800_000_000)
    let seq = try database.write { db in
      try db.execute(sql: "INSERT INTO patients (id, mrn) VALUES ('p1', 'PAT-1')")
      return try EventOutbox.enqueue(db, event: event, now: created)
    }
    let stored = try XCTUnwrap(try database.read { db in try EventOutbox.message(db, eventID: event.id) })
    XCTAssertEqual(stored.seq, seq)
    XCTAssertEqual(stored.subject, "REGISTRATION.patient.created")
    XCTAssertEqual(stored.headers[NATSHeaders.Name.msgId], event.id)
    XCTAssertEqual(stored.headers["ce-type"], "ghasi.registration.patient.created")
    XCTAssertEqual(try CloudEventMessage.decode(headers: stored.headers, payload: stored.body), event)
    XCTAssertEqual(stored.createdAt, created)
    XCTAssertFalse(stored.isPublished)
    XCTAssertNil(stored.streamSequence)
    XCTAssertEqual(stored.attempts, 0)
  }

  func testARolledBackTransactionLeavesNoRow() throws {
    struct BusinessRuleFailed: Error {}
    let database = try ProducerDatabase.make()
    let event = try TestEvents.patientCreated()
    XCTAssertThrowsError(
      try database.write { db in
        try ProducerDatabase.createPatient(db, event: event)
        throw BusinessRuleFailed()
      })
    try database.read { db in
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fw_event_outbox"), 0)
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM patients"), 0)
    }
  }

  func testAnInvalidEventFailsTheProducersTransaction() throws {
    let database = try ProducerDatabase.make()
    let event = try TestEvents.invalidContract()
    XCTAssertThrowsError(try database.write { db in try ProducerDatabase.createPatient(db, event: event) }) {
      XCTAssertEqual(($0 as? EventPublishingError)?.code, .invalidEvent)
    }
    try database.read { db in
      XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM patients"), 0)
    }
  }

  func testTheSameEventIDCannotBeEnqueuedTwice() throws {
    let database = try ProducerDatabase.make()
    let event = try TestEvents.patientCreated()
    _ = try database.write { db in try EventOutbox.enqueue(db, event: event) }
    XCTAssertThrowsError(try database.write { db in try EventOutbox.enqueue(db, event: event) }) {
      XCTAssertEqual(($0 as? EventPublishingError)?.code, .duplicateEventID)
    }
  }

  func testEnqueueOutsideATransactionIsRefused() throws {
    let database = try ProducerDatabase.make()
    let event = try TestEvents.patientCreated()
    XCTAssertThrowsError(
      try database.writeWithoutTransaction { db in try EventOutbox.enqueue(db, event: event) }
    ) {
      XCTAssertEqual(($0 as? EventPublishingError)?.code, .notInTransaction)
    }
  }

  func testPendingIsInSeqOrderAndMarkingPublishedRemovesRows() throws {
    let database = try ProducerDatabase.make()
    let events = try (0..<5).map { _ in try TestEvents.patientCreated() }
    try database.write { db in
      for event in events { try EventOutbox.enqueue(db, event: event) }
    }
    try database.write { db in
      let pending = try EventOutbox.pending(db)
      XCTAssertEqual(pending.map(\.eventID), events.map(\.id))
      XCTAssertEqual(pending.map(\.seq), pending.map(\.seq).sorted())
      try EventOutbox.markPublished(db, seq: pending[0].seq, streamSequence: 41, at: Date())
      try EventOutbox.recordFailure(db, seq: pending[1].seq, error: "timeout")
      let summary = try EventOutbox.pendingSummary(db)
      XCTAssertEqual(summary.count, 4)
      XCTAssertEqual(summary.oldestEventID, events[1].id)
      XCTAssertEqual(summary.oldestAttempts, 1)
      XCTAssertEqual(summary.oldestLastError, "timeout")
      let first = try XCTUnwrap(try EventOutbox.message(db, eventID: events[0].id))
      XCTAssertEqual(first.streamSequence, 41)
      XCTAssertEqual(first.attempts, 1)
      XCTAssertTrue(first.isPublished)
      XCTAssertEqual(try EventOutbox.pending(db).map(\.eventID), Array(events.dropFirst().map(\.id)))
    }
  }

  func testDeletePublishedKeepsPendingRows() throws {
    let database = try ProducerDatabase.make()
    let events = try (0..<3).map { _ in try TestEvents.patientCreated() }
    try database.write { db in
      for event in events { try EventOutbox.enqueue(db, event: event) }
      let pending = try EventOutbox.pending(db)
      try EventOutbox.markPublished(
        db, seq: pending[0].seq, streamSequence: 1, at: Date(timeIntervalSince1970: 10))
      try EventOutbox.markPublished(
        db, seq: pending[1].seq, streamSequence: 2, at: Date(timeIntervalSince1970: 30))
      XCTAssertEqual(try EventOutbox.deletePublished(db, before: Date(timeIntervalSince1970: 20)), 1)
      XCTAssertEqual(try EventOutbox.all(db).map(\.eventID), [events[1].id, events[2].id])
    }
  }
}
