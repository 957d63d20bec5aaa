import CloudEvents
import DomainEvents
import GRDB
import Logging
import Synchronization
import XCTest

@testable import ConsumerRuntime

final class EventProcessorTests: XCTestCase {
  var temp: TempDirectory!
  var handler: TestHandler!
  var database: ServiceDatabase!
  var sink: FakeDeadLetterSink!
  var logs: LogStore!
  var observer: RecordingObserver!

  override func setUpWithError() throws {
    temp = try TempDirectory()
    handler = TestHandler()
    database = try ServiceDatabase(path: temp.path("service.sqlite"), handler: handler)
    sink = FakeDeadLetterSink()
    logs = LogStore()
    observer = RecordingObserver()
  }

  override func tearDown() {
    temp.remove()
  }

  func makeProcessor(
    sink: FakeDeadLetterSink? = nil, tenants: Set<String> = [TestEvents.organization],
    progressInterval: Duration? = nil
  ) -> EventProcessor {
    EventProcessor(
      handler: handler, database: database, tenants: tenants, deadLetters: sink ?? self.sink,
      logger: logs.logger(), clock: { TestEvents.now }, observer: observer,
      progressInterval: progressInterval)
  }

  // MARK: - Queries

  func effectCount() throws -> Int {
    try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_effects") ?? -1 }
  }

  /// The first words of the BEGIN, SAVEPOINT and ROLLBACK statements the writer ran.
  final class StatementLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func reset() { lines.withLock { $0 = [] } }
    var all: [String] { lines.withLock { $0 } }
  }

  /// Records every BEGIN, SAVEPOINT and ROLLBACK the writer runs from now on.
  func traceTransactionStatements() async throws -> StatementLog {
    let log = StatementLog()
    try await database.pool.writeWithoutTransaction { db in
      db.trace { event in
        let sql = "\(event)"
        if sql.hasPrefix("SAVEPOINT") || sql.hasPrefix("BEGIN") || sql.hasPrefix("ROLLBACK") {
          log.append(String(sql.prefix(while: { $0 != " " })))
        }
      }
    }
    return log
  }

  func ledgerRow(_ dedupeKey: String) throws -> LedgerEntry? {
    try database.pool.read { db in try Ledger.row(db, source: "test-service", dedupeKey: dedupeKey) }
  }

  func notifications() throws -> [StoredNotification] {
    try database.pool.read { db in try NotificationOutbox.all(db) }
  }

  // MARK: - Success and duplicates

  func testProcessedEventWritesEffectLedgerRowAndNotificationThenAcks() async throws {
    let id = TestEvents.newEventId()
    let event = try TestEvents.progressNoteSigned(eventId: id)
    let message = try TestEvents.message(event, sequence: 11)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .processed)
    XCTAssertEqual(message.calls, [.ack])
    XCTAssertEqual(try effectCount(), 1)
    let row = try XCTUnwrap(try ledgerRow(id))
    XCTAssertEqual(row.status, .processed)
    XCTAssertEqual(row.eventId, id)
    XCTAssertEqual(row.eventName, "progress_note_signed")
    XCTAssertEqual(row.correlationId, "corr-\(id)")
    XCTAssertEqual(row.retryCount, 0)
    XCTAssertNil(row.errorMessage)
    XCTAssertEqual(row.processedAt, TestEvents.nowText)
    XCTAssertEqual(row.receivedAt, TestEvents.nowText)
    XCTAssertEqual(row.organizationId, TestEvents.organization)
    XCTAssertEqual(row.streamSequence, 11)
    XCTAssertEqual(row.source, "test-service")
    let stored = try CloudEventJSONFormat.decode(Array(try XCTUnwrap(row.eventPayload).utf8))
    XCTAssertEqual(stored, event, "event_payload is the whole envelope in structured mode")
    XCTAssertEqual(try notifications().map(\.id), ["billing:\(id)"])
    XCTAssertEqual(try notifications().first?.createdAt, TestEvents.nowText)
    XCTAssertTrue(sink.letters.isEmpty)
    XCTAssertEqual(observer.reports.count, 1)
    XCTAssertEqual(observer.reports.first?.0, .progressNoteSigned)
    XCTAssertEqual(observer.reports.first?.2, .processed)
  }

  func testStructuredModeIsAcceptedToo() async throws {
    let id = TestEvents.newEventId()
    let message = try TestEvents.message(
      try TestEvents.progressNoteSigned(eventId: id), sequence: 1, mode: .structured)
    let outcome = await makeProcessor().process(message)
    XCTAssertEqual(outcome, .processed)
    XCTAssertEqual(try ledgerRow(id)?.status, .processed)
  }

  func testDuplicateIsSkippedAckedAndLoggedWithTheSeedLine() async throws {
    let id = TestEvents.newEventId()
    let event = try TestEvents.progressNoteSigned(eventId: id)
    let processor = makeProcessor()
    let first = try TestEvents.message(event, sequence: 1)
    let replay = try TestEvents.message(event, sequence: 2)

    let outcomes = [await processor.process(first), await processor.process(replay)]

    XCTAssertEqual(outcomes, [.processed, .duplicate])
    XCTAssertEqual(first.calls, [.ack])
    XCTAssertEqual(replay.calls, [.ack])
    XCTAssertEqual(try effectCount(), 1)
    XCTAssertEqual(try notifications().count, 1)
    let duplicateLines = logs.lines.filter { $0.message.hasPrefix("Duplicate event") }
    XCTAssertEqual(duplicateLines.map(\.message), ["Duplicate event \(id) — skipping"])
    XCTAssertEqual(duplicateLines.first?.level, .info)
    XCTAssertEqual(duplicateLines.first?.metadata["event_id"], .string(id))
    XCTAssertEqual(duplicateLines.first?.metadata["stream_seq"], .string("2"))
    XCTAssertEqual(duplicateLines.first?.metadata["delivery"], .string("1"))
  }

  // MARK: - Batches

  /// One transaction for the batch, a savepoint per event: a failing event is rolled back alone,
  /// a duplicate inside the batch is seen, rejected messages are dead-lettered, and no message is
  /// acked before the whole batch is committed.
  func testBatchAppliesEventsTogetherAndRollsBackOnlyTheFailingOne() async throws {
    let (a, b, e) = (TestEvents.newEventId(), TestEvents.newEventId(), TestEvents.newEventId())
    handler.setBehavior(.permanentFor([b]))
    let eventA = try TestEvents.progressNoteSigned(eventId: a)
    let messages = [
      try TestEvents.message(eventA, sequence: 1),
      try TestEvents.message(try TestEvents.progressNoteSigned(eventId: b), sequence: 2),
      try TestEvents.message(eventA, sequence: 3),
      FakeWorkMessage(
        subject: "cl_pm_events.x", headers: [], payload: Array("not json".utf8), streamSequence: 4,
        deliveryCount: 1),
      try TestEvents.message(try TestEvents.progressNoteSigned(eventId: e), sequence: 5),
    ]
    let pool = database.pool
    let committedAtFirstAck = Mutex<[String]?>(nil)
    messages[0].onAck.withLock {
      $0 = {
        let ids = try? pool.read { db in
          try String.fetchAll(db, sql: "SELECT event_id FROM test_effects ORDER BY event_id")
        }
        committedAtFirstAck.withLock { $0 = ids }
      }
    }

    let outcomes = await makeProcessor().process(batch: messages)

    XCTAssertEqual(
      outcomes,
      [.processed, .deadLettered(retryCount: 0), .duplicate, .deadLettered(retryCount: 0), .processed])
    XCTAssertEqual(committedAtFirstAck.withLock { $0 }, [a, e].sorted(), "acks only after the batch COMMIT")
    XCTAssertEqual(messages.map(\.calls).map(\.count), [1, 1, 1, 1, 1])
    XCTAssertEqual(messages[0].calls, [.ack])
    XCTAssertEqual(messages[1].calls, [.term("permanent: billing code not allowed")])
    XCTAssertEqual(messages[2].calls, [.ack])
    XCTAssertEqual(messages[4].calls, [.ack])
    XCTAssertEqual(try effectCount(), 2, "the failing event's effect row was rolled back with its savepoint")
    XCTAssertEqual(try ledgerRow(a)?.status, .processed)
    XCTAssertEqual(try ledgerRow(b)?.status, .failed)
    XCTAssertEqual(try ledgerRow(e)?.status, .processed)
    let templates = try notifications().map(\.notification.template)
    XCTAssertEqual(templates.filter { $0 == "charge_manual_review" }.count, 2)
    XCTAssertEqual(templates.filter { $0 == EventProcessor.deadLetterTemplate }.count, 2)
    XCTAssertEqual(sink.letters.count, 2)
    XCTAssertEqual(observer.reports.count, 5)
    XCTAssertEqual(
      logs.lines.filter { $0.message.hasPrefix("Duplicate event") }.map(\.message),
      ["Duplicate event \(a) — skipping"])
  }

  /// Savepoints cost a statement journal copy of every touched page, so a batch runs without
  /// them: a failing event makes the batch run again without it (it keeps its first failure),
  /// and only events failing in `exclusionPasses` transactions in a row bring savepoints.
  func testAFailingEventIsLeftOutWithoutSavepointsUntilFailuresRepeat() async throws {
    let statements = try await traceTransactionStatements()
    func message(_ id: String, _ sequence: UInt64) throws -> FakeWorkMessage {
      try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: sequence)
    }
    let good = try (1...3).map { try message(TestEvents.newEventId(), UInt64($0)) }
    let outcomes = await makeProcessor().process(batch: good)
    XCTAssertEqual(outcomes, [.processed, .processed, .processed])
    XCTAssertEqual(statements.all, ["BEGIN"], "one transaction, no savepoint")

    // One failure: rolled back and applied again without it, still no savepoint.
    statements.reset()
    let (before, failing, after) = (TestEvents.newEventId(), TestEvents.newEventId(), TestEvents.newEventId())
    handler.setBehavior(.permanentFor([failing]))
    let mixed = [try message(before, 10), try message(failing, 11), try message(after, 12)]
    let mixedOutcomes = await makeProcessor().process(batch: mixed)
    XCTAssertEqual(mixedOutcomes, [.processed, .deadLettered(retryCount: 0), .processed])
    let seenOnce = statements.all
    // (The dead letter's `failed` ledger row is written in a transaction of its own afterwards.)
    XCTAssertEqual(Array(seenOnce.prefix(3)), ["BEGIN", "ROLLBACK", "BEGIN"], "\(seenOnce)")
    XCTAssertEqual(seenOnce.filter { $0 != "BEGIN" }, ["ROLLBACK"], "\(seenOnce)")
    XCTAssertEqual(
      handler.handled.filter { [before, failing, after].contains($0) }, [before, failing, before, after])
    XCTAssertEqual(try effectCount(), 5, "3 + 2: the failing event left no effect row")
    XCTAssertEqual(mixed[1].calls, [.term("permanent: billing code not allowed")])

    // As many failures as exclusion passes: the last pass uses a savepoint per event.
    statements.reset()
    let failures = (0..<EventProcessor.exclusionPasses).map { _ in TestEvents.newEventId() }
    let fine = TestEvents.newEventId()
    handler.setBehavior(.permanentFor(Set(failures)))
    let batch = try ([fine] + failures).enumerated().map { try message($1, UInt64(20 + $0)) }
    let batchOutcomes = await makeProcessor().process(batch: batch)
    XCTAssertEqual(
      batchOutcomes, [.processed] + Array(repeating: .deadLettered(retryCount: 0), count: failures.count))
    let seen = statements.all
    let passes = Array(repeating: ["BEGIN", "ROLLBACK"], count: EventProcessor.exclusionPasses).flatMap { $0 }
    XCTAssertEqual(Array(seen.prefix(passes.count + 1)), passes + ["BEGIN"], "\(seen)")
    XCTAssertEqual(seen.filter { $0 == "SAVEPOINT" }.count, batch.count, "\(seen)")
    XCTAssertEqual(try effectCount(), 6, "5 + 1: no failing event left an effect row")
  }

  /// An event that fails before its handler writes anything changes nothing, so the batch's
  /// transaction goes on: no rollback, no second pass, the others commit.
  func testAFailureBeforeAnyWriteNeedsNoRollback() async throws {
    let statements = try await traceTransactionStatements()
    let ids = (0..<3).map { _ in TestEvents.newEventId() }
    handler.setBehavior(.transientBeforeWritingFor([ids[1]]))
    let batch = try ids.enumerated().map {
      try TestEvents.message(try TestEvents.progressNoteSigned(eventId: $1), sequence: UInt64($0 + 1))
    }
    let outcomes = await makeProcessor().process(batch: batch)
    XCTAssertEqual(outcomes, [.processed, .retryScheduled(.seconds(1)), .processed])
    XCTAssertEqual(statements.all, ["BEGIN"], "one transaction, nothing rolled back")
    XCTAssertEqual(handler.handled, ids, "every handler ran once")
    XCTAssertEqual(try effectCount(), 2)
    XCTAssertNil(try ledgerRow(ids[1]), "a retried event has no ledger row")
    XCTAssertEqual(try ledgerRow(ids[2])?.status, .processed)
    XCTAssertEqual(batch[1].calls, [.nak(.seconds(1))])
  }

  /// An event is claimed by its ledger row before its handler runs; a handler failing before
  /// its first write gives the claim back. That holds in every kind of pass: without savepoints
  /// (the transaction goes on) and with one per event (after `exclusionPasses` failures), and the
  /// event keeps its handler's own failure, not a database error.
  func testAClaimGivenBackLeavesNothingInEveryKindOfPass() async throws {
    let statements = try await traceTransactionStatements()
    let fine = TestEvents.newEventId()
    let early = TestEvents.newEventId()
    let failures = (0..<EventProcessor.exclusionPasses).map { _ in TestEvents.newEventId() }
    handler.setBehavior(
      .permanentAndTransientBeforeWritingFor(permanent: Set(failures), beforeWriting: [early]))
    let batch = try ([fine, early] + failures).enumerated().map {
      try TestEvents.message(try TestEvents.progressNoteSigned(eventId: $1), sequence: UInt64($0 + 1))
    }

    let outcomes = await makeProcessor().process(batch: batch)

    XCTAssertEqual(
      outcomes,
      [.processed, .retryScheduled(.seconds(1))]
        + Array(repeating: .deadLettered(retryCount: 0), count: failures.count))
    XCTAssertEqual(statements.all.filter { $0 == "SAVEPOINT" }.count, batch.count, "the isolated pass ran")
    XCTAssertEqual(handler.handled.filter { $0 == early }.count, EventProcessor.exclusionPasses + 1)
    XCTAssertNil(try ledgerRow(early), "the claim was given back")
    XCTAssertEqual(try ledgerRow(fine)?.status, .processed)
    XCTAssertEqual(try effectCount(), 1)
    let retry = logs.lines.first { $0.message == "transient failure, retry scheduled" }
    XCTAssertEqual(retry?.metadata["error"], "encounter not found yet")
    XCTAssertEqual(retry?.metadata["event_id"], .string(early))
  }

  /// The pipeline hands back the outcomes completed so far on each submit and the rest on
  /// drain, in submission order; a repeat in a later batch is a duplicate.
  func testBatchPipelineReturnsEveryOutcomeInOrder() async throws {
    let first = try (1...2).map {
      try TestEvents.message(
        try TestEvents.progressNoteSigned(eventId: TestEvents.newEventId()), sequence: UInt64($0))
    }
    let repeated = try TestEvents.message(
      try TestEvents.progressNoteSigned(eventId: TestEvents.newEventId()), sequence: 3)
    let pipeline = EventBatchPipeline<FakeWorkMessage>(processor: makeProcessor())
    var outcomes = await pipeline.submit(first)
    outcomes += await pipeline.submit([repeated])
    outcomes += await pipeline.submit([repeated.redelivered(2)])
    outcomes += await pipeline.drain()
    XCTAssertEqual(outcomes, [.processed, .processed, .processed, .duplicate])
    let empty = await pipeline.drain()
    XCTAssertEqual(empty, [])
    XCTAssertEqual(try effectCount(), 3)
  }

  /// Batches submitted while a transaction runs join the next transaction, up to
  /// `maxApplyBatch` messages; a submit beyond that waits for the applier and goes into the one
  /// after.
  func testBatchesQueuedBehindARunningTransactionAreMergedUpToTheLimit() async throws {
    let begins = Mutex(0)
    try await database.pool.writeWithoutTransaction { db in
      db.trace { event in
        if "\(event)".hasPrefix("BEGIN") { begins.withLock { $0 += 1 } }
      }
    }
    let messages = try (1...4).map {
      try TestEvents.message(
        try TestEvents.progressNoteSigned(eventId: TestEvents.newEventId()), sequence: UInt64($0))
    }
    let gate = HandlerGate()
    handler.setBehavior(.holdUntilOpen(gate))
    let pipeline = EventBatchPipeline<FakeWorkMessage>(processor: makeProcessor(), maxApplyBatch: 2)

    var outcomes = await pipeline.submit([messages[0]])
    let deadline = ContinuousClock.now + .seconds(10)
    while !gate.reached && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    XCTAssertTrue(gate.reached, "the first transaction is running")
    outcomes += await pipeline.submit([messages[1]])
    outcomes += await pipeline.submit([messages[2]])
    // Two queued messages fill the next transaction: this submit waits until it is taken.
    let fourth = Task { await pipeline.submit([messages[3]]) }
    gate.open()
    outcomes += await fourth.value
    outcomes += await pipeline.drain()

    XCTAssertEqual(outcomes, Array(repeating: .processed, count: 4))
    XCTAssertEqual(begins.withLock { $0 }, 3, "[1], then [2, 3] merged, then [4]")
    XCTAssertEqual(try effectCount(), 4)
    XCTAssertEqual(messages.map(\.calls), Array(repeating: [.ack], count: 4))
  }

  /// The applier does not wait for the acks: the next transaction commits while the committed
  /// batch before it is still being settled, and messages are still settled in order, each after
  /// its own COMMIT.
  func testTheNextTransactionCommitsWhileTheBatchBeforeIsSettled() async throws {
    let ids = [TestEvents.newEventId(), TestEvents.newEventId()]
    let messages = try ids.enumerated().map {
      try TestEvents.message(
        try TestEvents.progressNoteSigned(eventId: $0.element), sequence: UInt64($0.offset + 1))
    }
    let gate = AsyncGate()
    defer { gate.open() }
    messages[0].ackGate.withLock { $0 = gate }
    let pipeline = EventBatchPipeline<FakeWorkMessage>(processor: makeProcessor())

    var outcomes = await pipeline.submit([messages[0]])
    let deadline = ContinuousClock.now + .seconds(10)
    while !gate.reached && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    XCTAssertTrue(gate.reached, "the first message is being acknowledged")
    XCTAssertEqual(try ledgerRow(ids[0])?.status, .processed, "acknowledged after its COMMIT")

    outcomes += await pipeline.submit([messages[1]])
    while try ledgerRow(ids[1]) == nil && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    XCTAssertEqual(
      try ledgerRow(ids[1])?.status, .processed, "the second transaction commits while the first ack waits")
    XCTAssertEqual(messages[1].calls, [], "settled in order: not before the first message")

    gate.open()
    outcomes += await pipeline.drain()
    XCTAssertEqual(outcomes, [.processed, .processed])
    XCTAssertEqual(messages.map(\.calls), [[.ack], [.ack]])
    XCTAssertEqual(try effectCount(), 2)
  }

  /// When the transaction itself is lost, nothing of the batch is committed and every event is
  /// retried.
  func testBatchWhoseTransactionIsLostRetriesEveryEvent() async throws {
    handler.setBehavior(.abortTransaction)
    let ids = [TestEvents.newEventId(), TestEvents.newEventId()]
    let messages = try ids.enumerated().map {
      try TestEvents.message(
        try TestEvents.progressNoteSigned(eventId: $0.element), sequence: UInt64($0.offset + 1))
    }

    let outcomes = await makeProcessor().process(batch: messages)

    XCTAssertEqual(outcomes, [.retryScheduled(.seconds(1)), .retryScheduled(.seconds(1))])
    XCTAssertEqual(messages.map(\.calls), [[.nak(.seconds(1))], [.nak(.seconds(1))]])
    XCTAssertEqual(handler.handled, [ids[0]], "the lost transaction ends the batch, no second pass")
    XCTAssertEqual(try effectCount(), 0)
    XCTAssertNil(try ledgerRow(ids[0]))
    XCTAssertNil(try ledgerRow(ids[1]))
    XCTAssertTrue(try notifications().isEmpty)

    handler.setBehavior(.succeed)
    let retried = await makeProcessor().process(batch: messages.map { $0.redelivered(2) })
    XCTAssertEqual(retried, [.processed, .processed])
    XCTAssertEqual(try effectCount(), 2)
  }

  /// Crash between COMMIT and ACK: the redelivery must be a duplicate, never a second effect.
  func testRedeliveryAfterCommitIsADuplicate() async throws {
    let id = TestEvents.newEventId()
    let processor = makeProcessor()
    let message = try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: 5)

    let first = await processor.process(message)
    XCTAssertEqual(first, .processed)
    XCTAssertEqual(message.calls, [.ack])

    let redelivery = message.redelivered(2)
    let second = await processor.process(redelivery)

    XCTAssertEqual(second, .duplicate)
    XCTAssertEqual(redelivery.calls, [.ack])
    XCTAssertEqual(try effectCount(), 1)
    XCTAssertEqual(try ledgerRow(id)?.retryCount, 0, "the processed row is not rewritten by a duplicate")
  }

  func testFailedAckAfterCommitStillCountsAsProcessed() async throws {
    let id = TestEvents.newEventId()
    let event = try TestEvents.progressNoteSigned(eventId: id)
    let (headers, body) = try CloudEventNATSBinding.encode(event)
    let message = FakeWorkMessage(
      subject: "cl_pm_events.progress_note_signed", headers: headers, payload: body, streamSequence: 3,
      deliveryCount: 1, failAck: true)
    let processor = makeProcessor()

    let outcome = await processor.process(message)
    XCTAssertEqual(outcome, .processed)
    XCTAssertTrue(message.calls.isEmpty)
    XCTAssertTrue(logs.lines.contains { $0.level == .warning && $0.message.hasPrefix("ack failed") })

    let redelivery = message.redelivered(2)
    let again = await processor.process(redelivery)
    XCTAssertEqual(again, .duplicate)
    XCTAssertEqual(redelivery.calls, [.ack])
    XCTAssertEqual(try effectCount(), 1)
  }

  func testConcurrentDeliveriesOfTheSameEventApplyItOnce() async throws {
    let event = try TestEvents.progressNoteSigned(eventId: TestEvents.newEventId())
    let processor = makeProcessor()
    let messages = try (1...8).map { try TestEvents.message(event, sequence: UInt64($0)) }

    let outcomes = await withTaskGroup(of: ProcessingOutcome.self, returning: [ProcessingOutcome].self) {
      group in
      for message in messages {
        group.addTask { await processor.process(message) }
      }
      var all: [ProcessingOutcome] = []
      for await outcome in group { all.append(outcome) }
      return all
    }

    XCTAssertEqual(outcomes.filter { $0 == .processed }.count, 1)
    XCTAssertEqual(outcomes.filter { $0 == .duplicate }.count, 7)
    XCTAssertEqual(try effectCount(), 1)
    XCTAssertTrue(messages.allSatisfy { $0.calls == [.ack] })
  }

  // MARK: - Transient failures

  func testTransientFailuresAreRetriedWithBackoffThenDeadLettered() async throws {
    handler.setBehavior(.transient)
    let id = TestEvents.newEventId()
    let event = try TestEvents.progressNoteSigned(eventId: id)
    let processor = makeProcessor()
    let original = try TestEvents.message(event, sequence: 7)

    var deliveries: [FakeWorkMessage] = []
    var outcomes: [ProcessingOutcome] = []
    for delivery in 1...4 {
      let message = original.redelivered(delivery)
      deliveries.append(message)
      outcomes.append(await processor.process(message))
      if delivery < 4 {
        XCTAssertNil(try ledgerRow(id), "no ledger row while retries are left")
      }
    }

    XCTAssertEqual(
      outcomes,
      [
        .retryScheduled(.seconds(1)), .retryScheduled(.seconds(2)), .retryScheduled(.seconds(4)),
        .deadLettered(retryCount: 3),
      ])
    XCTAssertEqual(deliveries[0].calls, [.nak(.seconds(1))])
    XCTAssertEqual(deliveries[1].calls, [.nak(.seconds(2))])
    XCTAssertEqual(deliveries[2].calls, [.nak(.seconds(4))])
    XCTAssertEqual(deliveries[3].calls, [.term("transient_exhausted: encounter not found yet")])

    // Ledger: the seed's "Failed event → DLQ" expectations.
    let row = try XCTUnwrap(try ledgerRow(id))
    XCTAssertEqual(row.status, .failed)
    XCTAssertEqual(row.retryCount, 3)
    XCTAssertEqual(row.errorMessage, "encounter not found yet")
    XCTAssertNil(row.processedAt)
    XCTAssertEqual(row.streamSequence, 7)
    XCTAssertNotNil(row.eventPayload)

    // Effects and the handler's notification were rolled back; the admin notification exists.
    XCTAssertEqual(try effectCount(), 0)
    let stored = try notifications()
    XCTAssertEqual(stored.count, 1)
    let admin = try XCTUnwrap(stored.first?.notification)
    XCTAssertEqual(admin.id, "dlq:test-service:WQ_TEST:7")
    XCTAssertEqual(admin.recipientType, "role")
    XCTAssertEqual(admin.recipientId, "system_admin")
    XCTAssertEqual(admin.severity, "high")
    XCTAssertEqual(admin.template, "event_dead_lettered")
    XCTAssertEqual(admin.eventId, id)
    XCTAssertEqual(admin.organizationId, TestEvents.organization)

    // The dead letter.
    XCTAssertEqual(sink.letters.count, 1)
    let letter = try XCTUnwrap(sink.letters.first)
    XCTAssertEqual(letter.subject, "dlq.test-service.progress_note_signed")
    XCTAssertEqual(letter.msgId, "dlq:test-service:WQ_TEST:7")
    XCTAssertEqual(letter.body, original.payload)
    XCTAssertEqual(letter.header("Fleet-DLQ-Error"), "encounter not found yet")
    XCTAssertEqual(letter.header("Fleet-DLQ-Error-Kind"), "transient_exhausted")
    XCTAssertEqual(letter.header("Fleet-DLQ-Consumer"), "test-service")
    XCTAssertEqual(letter.header("Fleet-DLQ-Stream"), "WQ_TEST")
    XCTAssertEqual(letter.header("Fleet-DLQ-Stream-Seq"), "7")
    XCTAssertEqual(letter.header("Fleet-DLQ-Original-Subject"), "cl_pm_events.progress_note_signed")
    XCTAssertEqual(letter.header("Fleet-DLQ-Retry-Count"), "3")
    XCTAssertEqual(letter.header("Fleet-DLQ-Event-Id"), id)
    XCTAssertEqual(letter.header("Fleet-DLQ-Event-Type"), "encoreos.cl.progress_note_signed")
    XCTAssertEqual(letter.header("Fleet-DLQ-Failed-At"), TestEvents.nowText)
    XCTAssertNil(letter.header("Nats-Stream-Source"), "JetStream headers are never copied (error 10227)")
    XCTAssertNil(letter.header("Nats-Msg-Id"))
    let envelopeHeaders = original.headers.filter {
      $0.0.lowercased().hasPrefix("ce-") || $0.0.lowercased() == "content-type"
    }
    XCTAssertFalse(envelopeHeaders.isEmpty)
    let copied = letter.headers.filter { !$0.0.hasPrefix("Fleet-DLQ-") }
    XCTAssertEqual(copied.map(\.0), envelopeHeaders.map(\.0))
    XCTAssertEqual(copied.map(\.1), envelopeHeaders.map(\.1))
    // The letter is itself the original CloudEvent.
    XCTAssertEqual(try CloudEventNATSBinding.decode(headers: letter.headers, body: letter.body), event)
  }

  func testUnexpectedHandlerErrorIsTransientAndItsTextIsNotStored() async throws {
    handler.setBehavior(.unexpectedError)
    let id = TestEvents.newEventId()
    let original = try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: 2)
    let processor = makeProcessor()

    let first = await processor.process(original)
    XCTAssertEqual(first, .retryScheduled(.seconds(1)))
    let last = await processor.process(original.redelivered(4))
    XCTAssertEqual(last, .deadLettered(retryCount: 3))

    let row = try XCTUnwrap(try ledgerRow(id))
    XCTAssertEqual(row.errorMessage, "unexpected FakeFailure")
    XCTAssertFalse(sink.letters.first?.header("Fleet-DLQ-Error")?.contains("secret") ?? true)
  }

  // MARK: - Permanent failures

  func testPermanentHandlerFailureIsDeadLetteredOnFirstDelivery() async throws {
    handler.setBehavior(.permanent)
    let id = TestEvents.newEventId()
    let message = try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: 9)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    XCTAssertEqual(message.calls, [.term("permanent: billing code not allowed")])
    let row = try XCTUnwrap(try ledgerRow(id))
    XCTAssertEqual(row.status, .failed)
    XCTAssertEqual(row.retryCount, 0)
    XCTAssertEqual(row.errorMessage, "billing code not allowed")
    XCTAssertNil(row.processedAt)
    XCTAssertEqual(try effectCount(), 0)
    XCTAssertEqual(sink.letters.first?.header("Fleet-DLQ-Error-Kind"), "permanent")
    XCTAssertEqual(sink.letters.first?.header("Fleet-DLQ-Retry-Count"), "0")
    XCTAssertEqual(try notifications().map(\.notification.template), ["event_dead_lettered"])
  }

  func testMessageThatIsNotACloudEventIsDeadLettered() async throws {
    let message = FakeWorkMessage(
      subject: "cl_pm_events.progress_note_signed", headers: [("Nats-Msg-Id", "x")],
      payload: Array("not json at all".utf8), streamSequence: 21, deliveryCount: 1)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    XCTAssertEqual(message.calls.count, 1)
    guard case .term = message.calls.first else { return XCTFail("expected TERM, got \(message.calls)") }
    let row = try XCTUnwrap(try ledgerRow("stream:WQ_TEST:21"))
    XCTAssertEqual(row.eventId, "stream:WQ_TEST:21")
    XCTAssertEqual(row.eventName, "unknown")
    XCTAssertEqual(row.status, .failed)
    XCTAssertNil(row.eventPayload)
    XCTAssertTrue(row.errorMessage?.hasPrefix("invalid CloudEvent: ") ?? false)
    let letter = try XCTUnwrap(sink.letters.first)
    XCTAssertEqual(letter.subject, "dlq.test-service.unknown")
    XCTAssertEqual(letter.header("Fleet-DLQ-Event-Type"), "unknown")
    XCTAssertEqual(letter.header("Fleet-DLQ-Event-Id"), "stream:WQ_TEST:21")
    XCTAssertNil(letter.header("Nats-Msg-Id"))
    XCTAssertEqual(letter.body, message.payload)
    XCTAssertEqual(try notifications().first?.notification.organizationId, "system")
    XCTAssertEqual(observer.reports.first.map { $0.0 == nil }, true)
  }

  func testBinaryMessageMissingRequiredAttributesUsesItsCeId() async throws {
    let message = FakeWorkMessage(
      subject: "cl_pm_events.progress_note_signed",
      headers: [("ce-specversion", "1.0"), ("ce-id", "evt-42"), ("Content-Type", "application/json")],
      payload: Array("{}".utf8), streamSequence: 22, deliveryCount: 1)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    let row = try XCTUnwrap(try ledgerRow("stream:WQ_TEST:22"))
    XCTAssertEqual(row.eventId, "evt-42")
    XCTAssertEqual(row.eventName, "unknown")
    XCTAssertEqual(sink.letters.first?.header("ce-id"), "evt-42")
    XCTAssertEqual(sink.letters.first?.header("Content-Type"), "application/json")
  }

  func testUnknownEventTypeIsDeadLettered() async throws {
    let id = TestEvents.newEventId()
    var event = try TestEvents.progressNoteSigned(eventId: id)
    event.type = "encoreos.cl.something_new"
    let message = try TestEvents.message(event, sequence: 23)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    let row = try XCTUnwrap(try ledgerRow("stream:WQ_TEST:23"))
    XCTAssertEqual(row.eventId, id)
    XCTAssertEqual(row.eventName, "unknown")
    XCTAssertTrue(row.errorMessage?.contains("unknownType") ?? false, row.errorMessage ?? "nil")
    XCTAssertEqual(sink.letters.first?.header("Fleet-DLQ-Event-Type"), "encoreos.cl.something_new")
    XCTAssertEqual(try effectCount(), 0)
  }

  func testPayloadViolatingTheContractIsDeadLetteredWithTheFieldNamed() async throws {
    let id = TestEvents.newEventId()
    var event = try TestEvents.progressNoteSigned(eventId: id)
    let text = String(decoding: try XCTUnwrap(event.data), as: UTF8.self)
    event.data = Array(text.replacingOccurrences(of: "\"note_type\":\"individual\",", with: "").utf8)
    let message = try TestEvents.message(event, sequence: 24)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    let row = try XCTUnwrap(try ledgerRow("stream:WQ_TEST:24"))
    XCTAssertEqual(row.eventName, "progress_note_signed")
    XCTAssertEqual(row.correlationId, "corr-\(id)")
    XCTAssertTrue(row.errorMessage?.contains("note_type") ?? false, row.errorMessage ?? "nil")
    XCTAssertEqual(sink.letters.first?.subject, "dlq.test-service.progress_note_signed")
  }

  func testOrganizationNotServedIsDeadLetteredBeforeAnyEffect() async throws {
    let id = TestEvents.newEventId()
    let event = try TestEvents.progressNoteSigned(eventId: id, organization: TestEvents.otherOrganization)
    let message = try TestEvents.message(event, sequence: 25)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    XCTAssertEqual(try effectCount(), 0)
    let row = try XCTUnwrap(try ledgerRow(id))
    XCTAssertEqual(
      row.errorMessage, "organization \(TestEvents.otherOrganization) is not served by this deployment")
    XCTAssertNil(row.eventPayload, "another organization's envelope is not stored here")
    XCTAssertEqual(try notifications().first?.notification.organizationId, "system")
  }

  func testKindNotConsumedIsDeadLettered() async throws {
    handler = TestHandler(consumes: [.pmReferralAccepted])
    database = try ServiceDatabase(path: temp.path("other.sqlite"), handler: handler)
    let id = TestEvents.newEventId()
    let message = try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: 26)

    let outcome = await makeProcessor().process(message)

    XCTAssertEqual(outcome, .deadLettered(retryCount: 0))
    XCTAssertEqual(
      try ledgerRow(id)?.errorMessage, "event type progress_note_signed is not consumed by test-service")
    XCTAssertEqual(try effectCount(), 0)
  }

  // MARK: - Dead-letter sink failure

  func testDeadLetterSinkFailureNaksAndKeepsTheMessage() async throws {
    handler.setBehavior(.permanent)
    let failingSink = FakeDeadLetterSink(failures: 1)
    let processor = makeProcessor(sink: failingSink)
    let id = TestEvents.newEventId()
    let message = try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: 30)

    let first = await processor.process(message)

    XCTAssertEqual(first, .deadLetterDeferred)
    XCTAssertEqual(message.calls, [.nak(.seconds(4))], "NAK, never ACK or TERM without a stored letter")
    XCTAssertNil(try ledgerRow(id))
    XCTAssertTrue(try notifications().isEmpty)
    XCTAssertTrue(failingSink.letters.isEmpty)

    let redelivery = message.redelivered(2)
    let second = await processor.process(redelivery)

    XCTAssertEqual(second, .deadLettered(retryCount: 1))
    XCTAssertEqual(redelivery.calls, [.term("permanent: billing code not allowed")])
    XCTAssertEqual(failingSink.letters.count, 1)
    XCTAssertEqual(try ledgerRow(id)?.status, .failed)
    XCTAssertEqual(try notifications().count, 1)
  }

  // MARK: - Re-drive, heartbeat, PHI

  func testRedrivenEventProcessesOverItsFailedRow() async throws {
    handler.setBehavior(.permanent)
    let id = TestEvents.newEventId()
    let event = try TestEvents.progressNoteSigned(eventId: id)
    let processor = makeProcessor()
    _ = await processor.process(try TestEvents.message(event, sequence: 40))
    XCTAssertEqual(try ledgerRow(id)?.status, .failed)

    handler.setBehavior(.succeed)
    let redriven = try TestEvents.message(event, sequence: 41)
    let outcome = await processor.process(redriven)

    XCTAssertEqual(outcome, .processed)
    let row = try XCTUnwrap(try ledgerRow(id))
    XCTAssertEqual(row.status, .processed)
    XCTAssertNil(row.errorMessage)
    XCTAssertEqual(row.processedAt, TestEvents.nowText)
    XCTAssertEqual(row.streamSequence, 41)
    XCTAssertEqual(try effectCount(), 1)
  }

  func testInProgressIsSentWhileTheHandlerRuns() async throws {
    let id = TestEvents.newEventId()
    let message = try TestEvents.message(try TestEvents.progressNoteSigned(eventId: id), sequence: 50)
    handler.setBehavior(.waitForProgress(message))

    let outcome = await makeProcessor(progressInterval: .milliseconds(5)).process(message)

    XCTAssertEqual(outcome, .processed, "the handler saw an in-progress signal while it was running")
    XCTAssertGreaterThanOrEqual(message.inProgressCalls, 1)
    XCTAssertEqual(message.calls, [.ack])
  }

  func testLogsCarryIdsButNeverPayloadValues() async throws {
    let id = TestEvents.newEventId()
    let processor = makeProcessor()
    let event = try TestEvents.progressNoteSigned(eventId: id)
    _ = await processor.process(try TestEvents.message(event, sequence: 60))
    _ = await processor.process(try TestEvents.message(event, sequence: 61))
    handler.setBehavior(.permanent)
    _ = await processor.process(
      try TestEvents.message(
        try TestEvents.progressNoteSigned(eventId: TestEvents.newEventId()), sequence: 62))

    XCTAssertFalse(logs.lines.isEmpty)
    for line in logs.lines {
      let text = line.message + " " + line.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      XCTAssertFalse(text.contains(TestEvents.encounterId), "payload value in log: \(text)")
      XCTAssertFalse(text.contains("90837"), "payload value in log: \(text)")
    }
    XCTAssertTrue(
      logs.lines.contains { $0.metadata["event_type"] == .string("encoreos.cl.progress_note_signed") })
  }
}
