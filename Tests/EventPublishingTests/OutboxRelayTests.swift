import EventPublishing
import Foundation
import GRDB
import Logging
import NATS
import Synchronization
import XCTest

/// An `OutboxMessagePublisher` that follows a script: each call takes the next step (success when
/// the script is empty) and records what was sent.
final class ScriptedPublisher: OutboxMessagePublisher {
  enum Step {
    case succeed
    case duplicate
    case fail(any Error)
  }

  private struct State {
    var script: [Step] = []
    var attempts: [String] = []
    var stored: [String] = []
    var nextSequence: UInt64 = 0
  }

  private let state = Mutex(State())

  init(script: [Step] = []) {
    state.withLock { $0.script = script }
  }

  /// Event ids in the order publishes were attempted.
  var attempts: [String] { state.withLock { $0.attempts } }
  /// Event ids the fake stream stored, in stream order.
  var stored: [String] { state.withLock { $0.stored } }

  func publish(_ message: OutboxMessage) async throws -> EventPublishReceipt {
    try state.withLock { state in
      state.attempts.append(message.eventID)
      let step = state.script.isEmpty ? .succeed : state.script.removeFirst()
      switch step {
      case .fail(let error):
        throw error
      case .duplicate:
        return EventPublishReceipt(stream: "TEST", streamSequence: state.nextSequence, duplicate: true)
      case .succeed:
        state.nextSequence += 1
        state.stored.append(message.eventID)
        return EventPublishReceipt(stream: "TEST", streamSequence: state.nextSequence, duplicate: false)
      }
    }
  }
}

final class OutboxRelayTests: XCTestCase {
  private func enqueue(_ count: Int, into database: DatabaseQueue) throws -> [String] {
    let events = try (0..<count).map { _ in try TestEvents.patientCreated() }
    for event in events {
      try database.write { db in try ProducerDatabase.createPatient(db, event: event) }
    }
    return events.map(\.id)
  }

  private func relay(_ database: DatabaseQueue, _ publisher: ScriptedPublisher, batchSize: Int = 100)
    -> OutboxRelay
  {
    OutboxRelay(
      database: database, publisher: publisher, logger: Logger(label: "test.relay"),
      backoff: OutboxBackoff(initial: .milliseconds(1), maximum: .milliseconds(5)), batchSize: batchSize)
  }

  func testPublishesEveryRowInSeqOrderAndRecordsStreamSequences() async throws {
    let database = try ProducerDatabase.make()
    let ids = try enqueue(7, into: database)
    let publisher = ScriptedPublisher()
    let relay = relay(database, publisher, batchSize: 3)
    let published = try await relay.relayPending()
    XCTAssertEqual(published, 7)
    XCTAssertEqual(publisher.stored, ids)
    let rows = try await database.read { db in try EventOutbox.all(db) }
    XCTAssertEqual(rows.map(\.eventID), ids)
    XCTAssertEqual(rows.map(\.streamSequence), (1...7).map { Int64($0) })
    XCTAssertTrue(rows.allSatisfy { $0.publishedAt != nil && $0.attempts == 1 && $0.lastError == nil })
    let stats = try await relay.stats()
    XCTAssertEqual(stats.pending, 0)
    XCTAssertEqual(stats.published, 7)
    XCTAssertNil(stats.oldestPendingAge)
  }

  func testAFailureStopsAtTheRowAndTheRetryStartsWithTheSameRow() async throws {
    let database = try ProducerDatabase.make()
    let ids = try enqueue(5, into: database)
    let publisher = ScriptedPublisher(script: [
      .succeed, .succeed, .fail(NATSError(.timeout, "no PubAck")), .fail(NATSError(.noResponders, "503")),
    ])
    let relay = relay(database, publisher)

    do {
      try await relay.relayPending()
      XCTFail("the timeout must surface")
    } catch let error as EventPublishingError {
      XCTAssertEqual(error.code, .publishFailed)
      XCTAssertEqual(PublishFailureKind.classify(error), .transient)
    }
    XCTAssertEqual(publisher.attempts, Array(ids.prefix(3)))
    var stats = try await relay.stats()
    XCTAssertEqual(stats.pending, 3)
    XCTAssertEqual(stats.oldestPendingEventID, ids[2])
    XCTAssertEqual(stats.oldestPendingAttempts, 1)
    XCTAssertTrue(stats.oldestPendingLastError?.contains("timeout") ?? false)
    XCTAssertEqual(stats.consecutiveFailures, 1)
    XCTAssertEqual(stats.lastFailure?.eventID, ids[2])
    XCTAssertEqual(stats.lastFailure?.permanent, false)
    XCTAssertNotNil(stats.oldestPendingAge)

    await XCTAssertThrowsErrorAsync(try await relay.relayPending())
    XCTAssertEqual(publisher.attempts.last, ids[2], "the failed row is retried first")

    let rest = try await relay.relayPending()
    XCTAssertEqual(rest, 3)
    XCTAssertEqual(publisher.attempts, Array(ids.prefix(3)) + [ids[2], ids[2], ids[3], ids[4]])
    XCTAssertEqual(publisher.stored, ids, "nothing skipped, nothing reordered")
    stats = try await relay.stats()
    XCTAssertEqual(stats.pending, 0)
    XCTAssertEqual(stats.consecutiveFailures, 0)
    let third = try await database.read { db in try EventOutbox.message(db, eventID: ids[2]) }
    XCTAssertEqual(third?.attempts, 3)
    XCTAssertNil(third?.lastError)
  }

  func testADuplicatePubAckMarksTheRowAndIsCounted() async throws {
    let database = try ProducerDatabase.make()
    let ids = try enqueue(2, into: database)
    let publisher = ScriptedPublisher(script: [.succeed, .duplicate])
    let relay = relay(database, publisher)
    try await relay.relayPending()
    let stats = try await relay.stats()
    XCTAssertEqual(stats.pending, 0)
    XCTAssertEqual(stats.published, 2)
    XCTAssertEqual(stats.duplicates, 1)
    let second = try await database.read { db in try EventOutbox.message(db, eventID: ids[1]) }
    XCTAssertEqual(second?.streamSequence, 1, "a duplicate keeps the sequence of the stored copy")
  }

  func testAPermanentFailureBlocksTheOutboxVisiblyWithoutSkipping() async throws {
    let database = try ProducerDatabase.make()
    let ids = try enqueue(3, into: database)
    let refused = EventPublishingError(.invalidEvent, "event \(ids[0]): breaks the contract")
    let publisher = ScriptedPublisher(script: [.fail(refused), .fail(refused)])
    let relay = relay(database, publisher)
    for _ in 0..<2 {
      do {
        try await relay.relayPending()
        XCTFail("must fail")
      } catch {
        XCTAssertEqual(PublishFailureKind.classify(error), .permanent)
      }
    }
    XCTAssertEqual(publisher.attempts, [ids[0], ids[0]])
    let stats = try await relay.stats()
    XCTAssertEqual(stats.pending, 3)
    XCTAssertEqual(stats.consecutiveFailures, 2)
    XCTAssertEqual(stats.lastFailure?.permanent, true)
    XCTAssertEqual(stats.oldestPendingEventID, ids[0])
    XCTAssertTrue(stats.oldestPendingLastError?.contains("breaks the contract") ?? false)
  }

  func testARowWithUnreadableHeadersIsReportedOnThatRow() async throws {
    let database = try ProducerDatabase.make()
    let ids = try enqueue(2, into: database)
    try await database.write { db in
      try db.execute(
        sql: "UPDATE fw_event_outbox SET headers = '{oops' WHERE event_id = ?", arguments: [ids[1]])
    }
    let publisher = ScriptedPublisher()
    let relay = relay(database, publisher)
    do {
      try await relay.relayPending()
      XCTFail("must fail")
    } catch {
      XCTAssertEqual(PublishFailureKind.classify(error), .permanent)
    }
    XCTAssertEqual(publisher.stored, [ids[0]])
    let stats = try await relay.stats()
    XCTAssertEqual(stats.oldestPendingEventID, ids[1])
    XCTAssertTrue(stats.oldestPendingLastError?.contains("headers") ?? false)
  }

  func testRunPublishesUntilCancelled() async throws {
    let database = try ProducerDatabase.make()
    let publisher = ScriptedPublisher(script: [.fail(NATSError(.connectionClosed, "down"))])
    let relay = OutboxRelay(
      database: database, publisher: publisher, logger: Logger(label: "test.relay"),
      pollInterval: .milliseconds(5),
      backoff: OutboxBackoff(initial: .milliseconds(1), maximum: .milliseconds(5)))
    let task = Task { await relay.run() }
    let ids = try enqueue(4, into: database)
    let deadline = ContinuousClock.now + .seconds(20)
    while try await relay.stats().pending > 0 && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    task.cancel()
    await task.value
    XCTAssertEqual(publisher.stored, ids)
    XCTAssertEqual(publisher.attempts.first, ids[0])
  }
}

/// Asserts that an async expression throws.
func XCTAssertThrowsErrorAsync<T>(
  _ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async {
  do {
    _ = try await expression()
    XCTFail("expected an error", file: file, line: line)
  } catch {}
}
