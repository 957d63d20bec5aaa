import Foundation
import GRDB
import Synchronization
import XCTest

@testable import ConsumerRuntime

final class NotificationRelayTests: XCTestCase {
  var temp: TempDirectory!
  var database: ServiceDatabase!
  let logs = LogStore()

  override func setUpWithError() throws {
    temp = try TempDirectory()
    database = try ServiceDatabase(path: temp.path("outbox.sqlite"), handler: TestHandler())
  }

  override func tearDown() {
    temp.remove()
  }

  func notification(_ id: String) -> OutboxNotification {
    OutboxNotification(
      id: id, organizationId: "org", recipientType: "role", recipientId: "billing", severity: "info",
      template: "charge_manual_review", eventId: "event-\(id)")
  }

  /// Writes n3, n1, n2 in that order (ids deliberately not sorted) in two transactions.
  func seed() throws {
    try database.pool.write { db in
      try NotificationOutbox.insert(
        db, [self.notification("n3"), self.notification("n1")], createdAt: TestEvents.now)
    }
    try database.pool.write { db in
      try NotificationOutbox.insert(
        db, [self.notification("n2"), self.notification("n1")], createdAt: TestEvents.now)
    }
  }

  func relay(_ publisher: FakeNotificationPublisher, pollInterval: Duration = .seconds(1))
    -> NotificationRelay
  {
    NotificationRelay(
      database: database, publisher: publisher, logger: logs.logger(), pollInterval: pollInterval,
      clock: { TestEvents.now })
  }

  func testInsertIgnoresARepeatedId() throws {
    try seed()
    let all = try database.pool.read { db in try NotificationOutbox.all(db) }
    XCTAssertEqual(all.map(\.id), ["n3", "n1", "n2"])
    XCTAssertTrue(all.allSatisfy { $0.publishedAt == nil && $0.attempts == 0 })
    XCTAssertEqual(all.first?.createdAt, TestEvents.nowText)
  }

  func testPublishesInWrittenOrderAndMarksPublished() async throws {
    try seed()
    let publisher = FakeNotificationPublisher()
    let relay = relay(publisher)

    let published = try await relay.publishPending()

    XCTAssertEqual(published, 3)
    XCTAssertEqual(publisher.publishedIds, ["n3", "n1", "n2"])
    let rows = try await database.pool.read { db in try NotificationOutbox.all(db) }
    XCTAssertTrue(rows.allSatisfy { $0.publishedAt == TestEvents.nowText })
    let pending = try await database.pool.read { db in try NotificationOutbox.unpublished(db, limit: 10) }
    XCTAssertTrue(pending.isEmpty)
    let again = try await relay.publishPending()
    XCTAssertEqual(again, 0)
    XCTAssertEqual(publisher.attempts, 3)
  }

  func testFailureStopsTheBatchAndTheRetryPublishesTheRestWithoutDuplicates() async throws {
    try seed()
    let publisher = FakeNotificationPublisher(failingAttempts: [2])
    let relay = relay(publisher)

    do {
      _ = try await relay.publishPending()
      XCTFail("the second publish fails")
    } catch {
      XCTAssertTrue(error is FakeFailure)
    }
    XCTAssertEqual(publisher.publishedIds, ["n3"])
    let afterFailure = try await database.pool.read { db in try NotificationOutbox.unpublished(db, limit: 10)
    }
    XCTAssertEqual(afterFailure.map(\.id), ["n1", "n2"])
    XCTAssertEqual(afterFailure.first?.attempts, 1)

    let published = try await relay.publishPending()

    XCTAssertEqual(published, 2)
    XCTAssertEqual(publisher.publishedIds, ["n3", "n1", "n2"])
    let rows = try await database.pool.read { db in try NotificationOutbox.unpublished(db, limit: 10) }
    XCTAssertTrue(rows.isEmpty)
  }

  func testRunBacksOffAfterFailuresAndStopsOnCancellation() async throws {
    try seed()
    let publisher = FakeNotificationPublisher(failingAttempts: [1, 2])
    let relay = relay(publisher, pollInterval: .milliseconds(5))
    let database = self.database!

    let drained = await withTaskGroup(of: Bool.self, returning: Bool.self) { group in
      group.addTask {
        await relay.run()
        return false
      }
      group.addTask {
        // Bounded wait for the relay to drain the outbox (the check, not a timing assertion).
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
          let pending =
            (try? await database.pool.read { db in try NotificationOutbox.unpublished(db, limit: 10) })
          if pending?.isEmpty == true { return true }
          try? await Task.sleep(for: .milliseconds(5))
        }
        return false
      }
      let first = await group.next() ?? false
      group.cancelAll()
      await group.waitForAll()
      return first
    }

    XCTAssertTrue(drained)
    XCTAssertEqual(publisher.publishedIds, ["n3", "n1", "n2"])
    XCTAssertEqual(publisher.attempts, 5, "two failures, then three successes")
    XCTAssertTrue(logs.lines.contains { $0.message.hasPrefix("notification publish failed") })
  }

  func testBackoffDoublesUpToTheLimit() {
    let base = Duration.milliseconds(100)
    XCTAssertEqual(NotificationRelay.backoff(failures: 1, base: base, max: .seconds(1)), .milliseconds(100))
    XCTAssertEqual(NotificationRelay.backoff(failures: 2, base: base, max: .seconds(1)), .milliseconds(200))
    XCTAssertEqual(NotificationRelay.backoff(failures: 4, base: base, max: .seconds(1)), .milliseconds(800))
    XCTAssertEqual(NotificationRelay.backoff(failures: 5, base: base, max: .seconds(1)), .seconds(1))
    XCTAssertEqual(NotificationRelay.backoff(failures: 500, base: base, max: .seconds(1)), .seconds(1))
  }
}
