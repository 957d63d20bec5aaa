import CloudEvents
import EventPublishing
import Foundation
import GRDB
import JetStream
import Logging
import NATS
import NATSWire
import XCTest

final class OutboxRelayIntegrationTests: XCTestCase {
  private static func relay(_ database: any DatabaseWriter, _ f: PublishingServerFixture) -> OutboxRelay {
    let publisher = EventPublisher(
      jetStream: f.jetStream, publishOptions: JetStreamPublishOptions(timeout: .seconds(1)))
    return OutboxRelay(
      database: database, publisher: publisher, logger: Logger(label: "test.outbox-relay"),
      pollInterval: .milliseconds(20),
      backoff: OutboxBackoff(initial: .milliseconds(50), maximum: .milliseconds(500)))
  }

  func testRelayKeepsPublishingInOrderAcrossAServerRestart() async throws {
    let database = try ProducerDatabase.makePool(self)
    try await PublishingServerFixture.run("relay-restart", timeout: .seconds(120)) { f in
      let relay = Self.relay(database, f)
      let relayTask = Task { await relay.run() }
      defer { relayTask.cancel() }

      let total = 300
      for index in 0..<total {
        let event = try TestEvents.patientCreated()
        try await database.write { db in try ProducerDatabase.createPatient(db, event: event) }
        if index == 100 {
          // Stop the server while the relay is busy; producers keep committing meanwhile.
          try await f.eventually("the relay published part of the outbox") {
            try await relay.stats().published >= 50
          }
          f.server.stop()
        }
        if index == 200 {
          try await f.server.restart()
        }
        // Keep the server down (indexes 100…200) longer than the 1 s PubAck deadline.
        try await Task.sleep(for: .milliseconds(index > 100 && index < 200 ? 25 : 2))
      }

      try await f.eventually("the outbox is empty", timeout: .seconds(60)) {
        try await relay.stats().pending == 0
      }
      relayTask.cancel()
      await relayTask.value

      let rows = try await database.read { db in try EventOutbox.all(db) }
      XCTAssertEqual(rows.count, total)
      XCTAssertTrue(rows.allSatisfy { $0.publishedAt != nil }, "every row is marked published")
      XCTAssertEqual(
        rows.map(\.streamSequence), (1...total).map { Int64($0) }, "stream order == outbox order")
      let retried = rows.filter { $0.attempts > 1 }.count
      XCTAssertGreaterThan(retried, 0, "the outage made at least one row fail and be retried")
      XCTAssertGreaterThan(f.client.statistics.reconnects, 0, "the client did reconnect")
      let stats = try await relay.stats()
      XCTAssertNotNil(stats.lastFailure)
      XCTAssertEqual(stats.published, total)

      let stored = try await f.storedMessages()
      XCTAssertEqual(stored.count, total, "exactly one stream message per outbox row")
      XCTAssertEqual(stored.map { $0.headers?[NATSHeaders.Name.msgId] }, rows.map(\.eventID))
      XCTAssertEqual(stored.map { $0.headers?["ce-id"] }, rows.map(\.eventID))
      XCTAssertEqual(Set(stored.compactMap { $0.headers?["ce-id"] }).count, total, "no duplicates")
      let patients = try await database.read { db in
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM patients")
      }
      XCTAssertEqual(patients, total)
    }
  }

  func testARolledBackProducerTransactionPublishesNothing() async throws {
    struct RuleViolated: Error {}
    let database = try ProducerDatabase.makePool(self)
    try await PublishingServerFixture.run("relay-rollback") { f in
      let relay = Self.relay(database, f)
      let rolledBack = try TestEvents.patientCreated()
      do {
        try await database.write { db in
          try ProducerDatabase.createPatient(db, event: rolledBack)
          throw RuleViolated()
        }
        XCTFail("the transaction must fail")
      } catch is RuleViolated {}
      let nothing = try await relay.relayPending()
      XCTAssertEqual(nothing, 0)

      let committed = try TestEvents.patientCreated()
      try await database.write { db in try ProducerDatabase.createPatient(db, event: committed) }
      let published = try await relay.relayPending()
      XCTAssertEqual(published, 1)

      let stored = try await f.storedMessages()
      XCTAssertEqual(stored.map { $0.headers?["ce-id"] }, [committed.id])
      let rows = try await database.read { db in try EventOutbox.all(db) }
      XCTAssertEqual(rows.map(\.eventID), [committed.id])
      XCTAssertEqual(rows.first?.streamSequence, 1)
    }
  }

  func testWithoutAStreamTheRelayRetriesTheSameRowUntilOneExists() async throws {
    let database = try ProducerDatabase.makePool(self)
    try await PublishingServerFixture.run("relay-nostream") { f in
      try await f.jetStream.deleteStream(PublishingServerFixture.stream)
      let relay = Self.relay(database, f)
      let events = try (0..<3).map { _ in try TestEvents.patientCreated() }
      try await database.write { db in
        for event in events { try ProducerDatabase.createPatient(db, event: event) }
      }
      do {
        try await relay.relayPending()
        XCTFail("no stream: no PubAck")
      } catch {
        XCTAssertEqual(PublishFailureKind.classify(error), .transient, "\(error)")
      }
      let blocked = try await relay.stats()
      XCTAssertEqual(blocked.pending, 3)
      XCTAssertEqual(blocked.oldestPendingEventID, events[0].id)
      XCTAssertNotNil(blocked.oldestPendingLastError)

      var config = StreamConfig(name: PublishingServerFixture.stream, subjects: ["REGISTRATION.>"])
      config.storage = .file
      _ = try await f.jetStream.createStream(config)
      let published = try await relay.relayPending()
      XCTAssertEqual(published, 3)
      let stored = try await f.storedMessages()
      XCTAssertEqual(stored.map { $0.headers?["ce-id"] }, events.map(\.id))
    }
  }
}
