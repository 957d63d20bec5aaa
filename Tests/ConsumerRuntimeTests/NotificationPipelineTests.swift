import Foundation
import JetStream
import NATS
import NATSTestSupport
import Synchronization
import XCTest

@testable import ConsumerRuntime

/// `JetStreamNotificationPublisher.publish(batch:)` and the relay on it, against a real nats-server
/// (own port and store directory): a batch goes out pipelined, in order, and a failure in the middle
/// is reported with exactly the notifications that were stored around it.
final class NotificationPipelineTests: XCTestCase {
  var server: NATSServerProcess!
  var client: NATSClient!
  var jetStream: JetStreamContext!
  var temp: TempDirectory!

  override func setUp() async throws {
    server = try await NATSServerProcess.start(name: "notification-pipeline")
    client = try await NATSClient.connect(NATSClientOptions(servers: [server.url]))
    jetStream = JetStreamContext(client: client, timeout: .seconds(5))
    temp = try TempDirectory()
  }

  override func tearDown() async throws {
    await client?.close()
    server?.stop()
    temp?.remove()
  }

  /// The NOTIFICATIONS stream as in streams/, with an optional message size limit.
  func createStream(maxMsgSize: Int32? = nil) async throws {
    var config = StreamConfig(name: "NOTIFICATIONS", subjects: ["notifications.>"])
    config.storage = .file
    config.duplicateWindow = 120_000_000_000
    config.maxMsgSize = maxMsgSize
    _ = try await jetStream.createStream(config)
  }

  func stored(_ index: Int, recipient: String = "billing") -> StoredNotification {
    StoredNotification(
      notification: OutboxNotification(
        id: "n\(index)", organizationId: "org-1", recipientType: "role", recipientId: recipient,
        severity: "info", template: "charge_manual_review", eventId: "event-\(index)"),
      createdAt: TestEvents.nowText, publishedAt: nil, attempts: 0)
  }

  /// Msg ids of the stream's messages by sequence.
  func storedIds() async throws -> [String] {
    let count = try await jetStream.streamInfo("NOTIFICATIONS").state.messages
    var ids: [String] = []
    for sequence in UInt64(1)...max(count, 1) where count > 0 {
      let message = try await jetStream.getMessage(stream: "NOTIFICATIONS", sequence: sequence)
      ids.append(message.headers?["Nats-Msg-Id"] ?? "?")
    }
    return ids
  }

  func testABatchIsStoredInOrderAndARepeatIsDeduplicated() async throws {
    try await createStream()
    let publisher = JetStreamNotificationPublisher(jetStream: jetStream, serviceName: "charge-capture")
    let batch = (0..<300).map { stored($0) }

    let outcome = await publisher.publish(batch: batch)

    XCTAssertNil(outcome.failure.map { "\($0.index): \($0.error)" })
    XCTAssertEqual(outcome.stored, Array(0..<300))
    let ids = try await storedIds()
    XCTAssertEqual(ids, batch.map(\.id), "stored in the batch's order")
    let first = try await jetStream.getMessage(stream: "NOTIFICATIONS", sequence: 1)
    XCTAssertEqual(first.subject, "notifications.org-1.charge_manual_review")
    XCTAssertEqual(first.headers?["ce-type"], JetStreamNotificationPublisher.eventType)

    // Re-published after an ambiguous failure: reported stored, kept once.
    let again = await publisher.publish(batch: Array(batch[10..<20]))
    XCTAssertNil(again.failure.map { "\($0.index): \($0.error)" })
    XCTAssertEqual(again.stored, Array(0..<10))
    let count = try await jetStream.streamInfo("NOTIFICATIONS").state.messages
    XCTAssertEqual(count, 300)

    await publisher.close()
    let closed = await publisher.publish(batch: [stored(300)])
    XCTAssertEqual(closed.failure?.index, 0)
    XCTAssertEqual((closed.failure?.error as? JetStreamError)?.code, .closed)
    XCTAssertEqual(closed.stored, [])
  }

  /// One notification of the batch is refused by the server (over the stream's message size):
  /// it is the reported failure, the ones after it that were already in flight are stored, and
  /// the relay marks exactly the stored ones, counts an attempt on the refused one and leaves it
  /// pending.
  func testARefusalInTheMiddleMarksOnlyWhatWasStored() async throws {
    try await createStream(maxMsgSize: 2_000)
    let publisher = JetStreamNotificationPublisher(jetStream: jetStream, serviceName: "charge-capture")
    let database = try ServiceDatabase(path: temp.path("relay.sqlite"), handler: TestHandler())
    let notifications = (0..<8).map { index in
      stored(index, recipient: index == 3 ? String(repeating: "r", count: 3_000) : "billing").notification
    }
    try await database.pool.write { db in
      try NotificationOutbox.insert(db, notifications, createdAt: TestEvents.now)
    }
    let relay = NotificationRelay(
      database: database, publisher: publisher, logger: LogStore().logger(), clock: { TestEvents.now })

    do {
      _ = try await relay.publishPending()
      XCTFail("the oversized notification must fail the batch")
    } catch let error as JetStreamAPIError {
      XCTAssertTrue(error.message.contains("maximum"), error.message)
    }

    let ids = try await storedIds()
    XCTAssertEqual(ids, ["n0", "n1", "n2", "n4", "n5", "n6", "n7"])
    let pending = try await database.pool.read { db in try NotificationOutbox.unpublished(db, limit: 10) }
    XCTAssertEqual(pending.map(\.id), ["n3"])
    XCTAssertEqual(pending.first?.attempts, 1)
    await publisher.close()
  }

  /// During an outage PubAck timeouts are paused, so the relay's batch waits for the connection;
  /// cancelling it (as the service's bounded exit flush does) ends the wait with the rows still
  /// pending and no failed attempt counted.
  func testAnOutageWaitsAndCancellationLeavesTheRowsPending() async throws {
    try await createStream()
    let publisher = JetStreamNotificationPublisher(jetStream: jetStream, serviceName: "charge-capture")
    let warmUp = await publisher.publish(batch: [stored(100)])
    XCTAssertEqual(warmUp.stored, [0])
    let database = try ServiceDatabase(path: temp.path("outage.sqlite"), handler: TestHandler())
    let notifications = (0..<3).map { stored($0).notification }
    try await database.pool.write { db in
      try NotificationOutbox.insert(db, notifications, createdAt: TestEvents.now)
    }
    let relay = NotificationRelay(
      database: database, publisher: publisher, logger: LogStore().logger(), clock: { TestEvents.now })
    server.stop()
    let deadline = ContinuousClock.now + .seconds(10)
    while client.isConnected && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(10))
    }
    XCTAssertFalse(client.isConnected)

    let finished = Mutex(false)
    let flush = Task {
      defer { finished.withLock { $0 = true } }
      return try await relay.publishPending()
    }
    try await Task.sleep(for: .milliseconds(300))
    XCTAssertFalse(finished.withLock { $0 }, "the batch waits for the connection")
    flush.cancel()
    do {
      let published = try await flush.value
      XCTFail("cancelled during the outage, yet \(published) published")
    } catch {
      XCTAssertTrue(error is CancellationError, "\(error)")
    }
    let pending = try await database.pool.read { db in try NotificationOutbox.unpublished(db, limit: 10) }
    XCTAssertEqual(pending.map(\.id), ["n0", "n1", "n2"])
    XCTAssertEqual(pending.map(\.attempts), [0, 0, 0])
    await publisher.close()
  }
}
