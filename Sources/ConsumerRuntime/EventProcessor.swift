import CloudEvents
import DomainEvents
import Foundation
import GRDB
import Logging

/// Runs one work message through the consumer pipeline and settles it with exactly one of ACK,
/// NAK or TERM:
///
/// 1. decode the CloudEvent (binary or structured mode), then the seed contract; failure = permanent
/// 2. the event's organization must be one of `tenants`; else permanent
/// 3. the event kind must be in `handler.consumes`; else permanent
/// 4. one write transaction: the `processed` ledger row is inserted unless a row with the same
///    (service, dedupe key) exists — a `processed` one makes the event a duplicate (logged as
///    "Duplicate event <id> — skipping", ACK), a `failed` one (a re-driven dead letter) is
///    overwritten after the handler; then the handler's effects and its notification outbox rows,
///    COMMIT, then ACK. A handler failure takes all of the event's writes back (its ledger row
///    too) and `DeliveryDecision` picks NAK (with delay) or a dead letter.
/// 5. dead letter: publish to the DLQ (PubAck), then one transaction with the `failed` ledger row
///    and an admin notification, then TERM. If either step fails the message is NAK'ed instead, so
///    a message is never removed before its dead letter is stored.
///
/// Safe to call concurrently for different messages: the database pool serializes the writes.
public final class EventProcessor: Sendable {
  /// The service's business rules.
  public let handler: any ServiceHandler
  /// The service's database (ledger, outbox, effects).
  public let database: ServiceDatabase
  /// Organizations this deployment serves; events of any other organization are dead-lettered.
  /// An empty set serves none.
  public let tenants: Set<String>
  /// Redelivery delays for transient failures.
  public let policy: RetryPolicy
  /// How often `+WPI` is sent while a message is being applied; `nil` never sends it.
  public let progressInterval: Duration?
  /// Messages (headers + body) larger than this are dead-lettered at once ("oversized payload"), never decoded.
  public let maxPayloadBytes: Int
  /// Called after a COMMIT and before the ACK (fault-injection tests kill the process here).
  let afterCommit: (@Sendable (String) -> Void)?
  /// Default payload limit: 256 KiB (the seed contracts are a few KiB at most).
  public static let defaultMaxPayloadBytes = 256 * 1024

  /// `handler.consumes`, read once: handlers build the set on every access.
  private let consumedKinds: Set<DomainEventKind>
  private let deadLetters: any DeadLetterSink
  private let logger: Logger
  private let clock: @Sendable () -> Date
  private let observer: (any ProcessingObserver)?

  /// Creates a processor.
  /// - Parameters:
  ///   - handler: the service's business rules; `handler.serviceName` is the ledger `source`.
  ///   - database: the service database (opened with the same handler).
  ///   - tenants: organization ids served by this deployment.
  ///   - deadLetters: where dead letters are published.
  ///   - policy: NAK delays for transient failures (1 s, 2 s, 4 s).
  ///   - logger: base logger; ids are added as metadata, payloads are never logged.
  ///   - clock: wall clock for `received_at`, `processed_at` and handler time (injected in tests).
  ///   - observer: gets one report per message, for metrics.
  ///   - progressInterval: `+WPI` period while applying a message (keep it below the consumer's ack wait).
  public init(
    handler: any ServiceHandler, database: ServiceDatabase, tenants: Set<String>,
    deadLetters: any DeadLetterSink, policy: RetryPolicy = .init(), logger: Logger,
    clock: @escaping @Sendable () -> Date = Date.init, observer: (any ProcessingObserver)? = nil,
    progressInterval: Duration? = .seconds(10), maxPayloadBytes: Int = EventProcessor.defaultMaxPayloadBytes,
    afterCommit: (@Sendable (_ eventId: String) -> Void)? = nil
  ) {
    self.maxPayloadBytes = maxPayloadBytes
    self.afterCommit = afterCommit
    self.handler = handler
    self.consumedKinds = handler.consumes
    self.database = database
    self.tenants = Set(tenants.map { $0.lowercasedIfNeeded() })
    self.deadLetters = deadLetters
    self.policy = policy
    self.logger = logger
    self.clock = clock
    self.observer = observer
    self.progressInterval = progressInterval
  }

  /// The whole pipeline for one message; returns what it did. Never throws and never drops the
  /// message: every path ends in ACK (after COMMIT), NAK, or TERM (after the dead letter is stored).
  public func process(_ message: some WorkMessage) async -> ProcessingOutcome {
    await process(batch: [message])[0]
  }

  /// The pipeline for messages pulled together, with one write transaction for all of them:
  /// each message is checked (size, CloudEvent, contract, tenant, kind) on its own; those that
  /// pass are applied in one transaction (a handler failure rolls back that event only, see
  /// `apply`), and the messages are settled in order only after the single COMMIT.
  /// One COMMIT (one WAL sync) per batch instead of one per event. Returns one outcome per message,
  /// in order; the guarantees of `process(_:)` hold for every message.
  public func process<M: WorkMessage>(batch messages: [M]) async -> [ProcessingOutcome] {
    await complete(prepare(batch: messages))
  }

  /// Steps 0–3 for a batch (size, CloudEvent, contract, tenant, kind): CPU only, no database and
  /// no settling, so a consumer can prepare the next batch while `complete(_:)` applies the
  /// previous one. Nothing is settled until the batch is completed.
  public func prepare<M: WorkMessage>(batch messages: [M]) -> PreparedBatch<M> {
    PreparedBatch(messages: messages, items: messages.map { prepare($0) }, started: ContinuousClock.now)
  }

  /// Step 4 and settling for a prepared batch: one transaction for the messages that passed
  /// steps 0–3, then ACK / NAK / TERM for every message in order. Returns one outcome per message.
  public func complete<M: WorkMessage>(_ batch: PreparedBatch<M>) async -> [ProcessingOutcome] {
    await settle(commit(batch))
  }

  /// Step 4 for a prepared batch: one write transaction (ledger checks, effects, outbox rows,
  /// ledger rows) for the messages that passed steps 0–3. Nothing is settled yet: `settle(_:)`
  /// does that after this returns, so a pipeline can start the next transaction while the
  /// committed batch is acknowledged (`EventBatchPipeline`).
  public func commit<M: WorkMessage>(_ batch: PreparedBatch<M>) async -> CommittedBatch<M> {
    // The results go in an array of their own: the items stay as `prepare` made them.
    let items = batch.items
    var results = items.map { item -> ProcessingResult in
      if case .settle(let decided) = item.stage { return decided }
      return .transientFailure("not applied")
    }
    let candidates = items.indices.filter { items[$0].isToApply }
    if !candidates.isEmpty {
      let applied = await withProgressHeartbeat(candidates.map { batch.messages[$0] }) {
        await self.apply(items)
      }
      for (index, result) in zip(candidates, applied) {
        results[index] = result
        if result == .processed { afterCommit?(items[index].identity.eventId) }
      }
    }
    return CommittedBatch(messages: batch.messages, items: items, results: results, started: batch.started)
  }

  /// Settles a committed batch: ACK / NAK / TERM (and dead letters) for every message, in order.
  /// Returns one outcome per message.
  public func settle<M: WorkMessage>(_ batch: CommittedBatch<M>) async -> [ProcessingOutcome] {
    var outcomes: [ProcessingOutcome] = []
    outcomes.reserveCapacity(batch.messages.count)
    for index in batch.messages.indices {
      let result = batch.results[index]
      let outcome = await settle(batch.messages[index], result: result, item: batch.items[index])
      observer?.eventProcessed(
        kind: batch.items[index].kind, result: result, outcome: outcome,
        latency: ContinuousClock.now - batch.started)
      outcomes.append(outcome)
    }
    return outcomes
  }

  /// Steps 0–3: size, CloudEvent, contract, tenant, kind — everything that needs no database.
  private func prepare<M: WorkMessage>(_ message: M) -> Item {
    let receivedAt = clock()
    // The event's logger carries its ids; `EventLogHandler` makes them metadata only for the
    // lines actually written (an event processed without a problem writes none at the default level).
    var fields = EventLogFields(
      stream: message.stream, consumer: message.consumer, streamSequence: message.streamSequence,
      deliveryCount: message.deliveryCount)
    func eventLogger() -> Logger {
      Logger(label: self.logger.label) { [base = self.logger.handler] _ in
        EventLogHandler(base: base, fields: fields)
      }
    }

    func rejected(_ reason: String, _ identity: EventIdentity, kind: DomainEventKind?) -> Item {
      Item(
        stage: .settle(.permanentFailure(reason)), kind: kind, identity: identity, receivedAt: receivedAt,
        logger: eventLogger())
    }

    // 0. Size, before spending anything on decoding. Headers and payload are read once: a
    // `WorkMessage` may build them on every access (JetStreamWorkMessage copies the payload).
    let headers = message.headers
    let payload = message.payload
    let messageSize = payload.count + headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 }
    if messageSize > maxPayloadBytes {
      let identity = undecodableIdentity(message)
      fields.eventId = identity.eventId
      return rejected(
        "oversized payload: \(messageSize) bytes (headers and body) exceeds the limit of \(maxPayloadBytes) bytes",
        identity, kind: nil)
    }

    // 1. CloudEvent, then the seed contract.
    let cloudEvent: CloudEvent
    do {
      cloudEvent = try CloudEventNATSBinding.decode(headers: headers, body: payload)
    } catch {
      let identity = undecodableIdentity(message)
      fields.eventId = identity.eventId
      return rejected("invalid CloudEvent: \(FailureReason.describe(error))", identity, kind: nil)
    }
    fields.eventId = cloudEvent.id
    fields.eventType = cloudEvent.type

    let decoded: DecodedDomainEvent
    do {
      decoded = try DomainEventDecoder.decode(validated: cloudEvent)
    } catch {
      let kind = DomainEventKind(cloudEventType: cloudEvent.type)
      let identity = EventIdentity(
        eventId: cloudEvent.id, eventName: kind?.rawValue ?? "unknown", eventType: cloudEvent.type,
        correlationId: cloudEvent.extensions["correlationid"]?.stringValue,
        organizationId: cloudEvent.extensions["organizationid"]?.stringValue,
        dedupeKey: fallbackKey(message), auditPayload: nil)
      return rejected("invalid event: \(FailureReason.describe(error))", identity, kind: kind)
    }

    let inbound = InboundEvent(
      decoded: decoded, subject: message.subject, streamSequence: message.streamSequence,
      deliveryCount: message.deliveryCount)
    var identity = EventIdentity(
      eventId: decoded.eventId, eventName: decoded.kind.rawValue, eventType: cloudEvent.type,
      correlationId: decoded.correlationId, organizationId: decoded.organizationId,
      dedupeKey: decoded.dedupeKey, auditPayload: nil)

    // 2. Tenant, before any effect. Another organization's envelope is not stored here.
    guard tenants.contains(decoded.organizationId.lowercasedIfNeeded()) else {
      return rejected(
        "organization \(HeaderText.value(decoded.organizationId, limit: 100)) is not served by this deployment",
        identity, kind: decoded.kind)
    }
    let logger = eventLogger()
    identity.auditPayload = auditPayload(for: inbound, logger: logger)

    // 3. Kind.
    guard consumedKinds.contains(decoded.kind) else {
      return rejected(
        "event type \(decoded.kind.rawValue) is not consumed by \(handler.serviceName)", identity,
        kind: decoded.kind)
    }
    return Item(
      stage: .apply(inbound), kind: decoded.kind, identity: identity, receivedAt: receivedAt, logger: logger)
  }

  /// Step 4 for a batch: one write transaction for the items at the `.apply` stage (the others
  /// are skipped). Returns one result per such item, in order. A failure of the transaction
  /// itself (BEGIN, COMMIT, or an error that made SQLite roll the whole transaction back) is a
  /// transient failure of every one: nothing was committed.
  ///
  /// The batch is applied without savepoints: a savepoint per event makes SQLite copy every page
  /// the event touches into a statement journal, which is wasted work when nothing fails. An
  /// event whose handler fails before writing anything (SQLite's change count is unchanged since
  /// the event's ledger row was inserted, as when a handler finds a prerequisite missing) needs
  /// no rollback: that row is deleted and the transaction goes on. When an
  /// event fails after writing, that transaction is rolled back and the batch is applied again
  /// without the failed event, which keeps the failure of its first attempt: the events before
  /// it see the same database as before, so this is what a savepoint around it would have left.
  /// Only when events keep failing (`exclusionPasses` transactions in a row) is the batch applied
  /// with one savepoint per event. Handlers of the other events run again in such a pass; they
  /// keep no state outside the transaction, so only their log lines repeat.
  ///
  /// A failure is rare but batches are large (up to `ConsumerService.maxApplyBatch`): one event
  /// arriving before the one it depends on used to send a whole batch of 1,024 through the
  /// savepoint pass, which costs more than the first pass.
  private func apply(_ items: [Item]) async -> [ProcessingResult] {
    let handler = self.handler
    let applyCount = items.count(where: \.isToApply)
    let now = clock()
    var failed: [Int: ProcessingResult] = [:]
    for _ in 0..<Self.exclusionPasses {
      let leftOut = failed
      do {
        return try await database.pool.write { db in
          try Self.applyBatch(items, handler: handler, now: now, mode: .leavingOut(leftOut), db)
        }
      } catch let failure as EventFailed {
        failed[failure.index] = failure.result
      } catch {
        return Array(repeating: Self.classify(error), count: applyCount)
      }
    }
    do {
      return try await database.pool.write { db in
        try Self.applyBatch(items, handler: handler, now: now, mode: .isolated, db)
      }
    } catch {
      return Array(repeating: Self.classify(error), count: applyCount)
    }
  }

  /// Transactions that leave out the events failed so far before a batch is applied with a
  /// savepoint per event.
  static let exclusionPasses = 3

  /// How `applyBatch` runs the events of one transaction.
  private enum ApplyMode {
    /// No savepoints; these items (by index) failed in an earlier pass and keep that result.
    case leavingOut([Int: ProcessingResult])
    /// One savepoint per event.
    case isolated
  }

  /// Thrown inside a savepoint-free transaction when the event at `index` failed: roll back and
  /// apply the batch again without it.
  private struct EventFailed: Error {
    var index: Int
    var result: ProcessingResult
  }

  /// The items at the `.apply` stage, in the open write transaction; one result per such item.
  /// `EventFailed.index` and the indices of `ApplyMode.leavingOut` are positions in `items`.
  private static func applyBatch(
    _ items: [Item], handler: any ServiceHandler, now: Date, mode: ApplyMode, _ db: Database
  ) throws -> [ProcessingResult] {
    let source = handler.serviceName
    let processedAt = ISOTime.string(now)
    var results: [ProcessingResult] = []
    results.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      guard case .apply(let inbound) = item.stage else { continue }
      let identity = item.identity
      let entry = LedgerEntry(
        eventId: identity.eventId, eventName: identity.eventName, correlationId: identity.correlationId,
        status: .processed, retryCount: max(inbound.deliveryCount - 1, 0), errorMessage: nil,
        processedAt: processedAt, eventPayload: identity.auditPayload, source: source,
        dedupeKey: identity.dedupeKey, organizationId: identity.organizationId,
        streamSequence: inbound.streamSequence, receivedAt: ISOTime.string(item.receivedAt))
      func runHandler() throws {
        var context = HandlerContext(now: now, logger: item.logger)
        try handler.handle(inbound, db: db, context: &context)
        try NotificationOutbox.insert(db, context.notifications, createdAt: now)
      }
      func applyEvent() throws -> ProcessingResult {
        // A new dedupe key (nearly every event) is claimed by inserting its `processed` row
        // first: one statement looks the key up and inserts, where a lookup before the handler
        // and an insert after it each ran a statement and descended the random-key index.
        // Handlers never read the ledger, so the row's being there early changes nothing.
        guard let claim = try Ledger.insertIfAbsent(db, entry) else {
          // A row exists: processed (a duplicate), or failed (a dead letter re-driven after a fix).
          if try Ledger.status(db, source: source, dedupeKey: entry.dedupeKey) == .processed {
            return .duplicate
          }
          try runHandler()
          try Ledger.upsert(db, entry)
          return .processed
        }
        let changesAfterClaim = db.totalChangesCount
        do {
          try runHandler()
        } catch {
          // The handler failed before writing anything (a missing prerequisite): take the claim
          // back, so the event leaves nothing and the transaction goes on.
          guard db.isInsideTransaction, db.totalChangesCount == changesAfterClaim else { throw error }
          try Ledger.deleteClaim(db, rowID: claim)
          throw NothingWritten(underlying: error)
        }
        return .processed
      }
      if case .leavingOut(let failed) = mode {
        if let result = failed[index] {
          results.append(result)
          continue
        }
        let changesBefore = db.totalChangesCount
        do {
          results.append(try applyEvent())
        } catch let failure as NothingWritten {
          results.append(Self.classify(failure.underlying))
        } catch {
          // The transaction itself is gone (SQLite rolled it back): nothing of the batch can
          // commit, and applying it again without this event would lose it the same way.
          guard db.isInsideTransaction else { throw error }
          // Nothing written (the handler failed before its first write, as a missing
          // prerequisite does, and a failed statement undoes its own rows): the transaction
          // goes on as it would after a savepoint's rollback.
          guard db.totalChangesCount == changesBefore else {
            throw EventFailed(index: index, result: Self.classify(error))
          }
          results.append(Self.classify(error))
        }
        continue
      }
      do {
        var result = ProcessingResult.processed
        try db.inSavepoint {
          result = try applyEvent()
          return .commit
        }
        results.append(result)
      } catch {
        // SQLite may have rolled back the whole transaction (disk full, I/O error …): then
        // nothing of this batch can commit, so fail it as a whole.
        guard db.isInsideTransaction else { throw error }
        results.append(Self.classify(error))
      }
    }
    return results
  }

  /// An event whose handler failed before writing anything, after its ledger claim was taken
  /// back: the transaction holds nothing of it and goes on.
  private struct NothingWritten: Error {
    var underlying: any Error
  }

  /// A handler's own failure keeps its kind; anything else (database errors) is transient.
  private static func classify(_ error: any Error) -> ProcessingResult {
    if let failure = error as? NothingWritten { return classify(failure.underlying) }
    if let error = error as? HandlerError {
      switch error {
      case .transient: return .transientFailure(FailureReason.describe(error))
      case .permanent: return .permanentFailure(FailureReason.describe(error))
      }
    }
    return .transientFailure(FailureReason.describe(error))
  }

  /// Applies `DeliveryDecision` to the message.
  private func settle<M: WorkMessage>(_ message: M, result: ProcessingResult, item: Item) async
    -> ProcessingOutcome
  {
    let logger = item.logger
    if result == .duplicate { logger.info("Duplicate event \(item.identity.eventId) — skipping") }
    switch DeliveryDecision.decide(result, deliveryCount: message.deliveryCount, policy: policy) {
    case .ack:
      do {
        try await message.ack()
      } catch {
        // Committed already: the redelivery will be a duplicate.
        logger.warning(
          "ack failed after commit; a redelivery will be skipped as a duplicate",
          metadata: ["error": "\(FailureReason.describe(error))"])
      }
      if result == .processed { logger.debug("event processed") }
      return result == .duplicate ? .duplicate : .processed
    case .nak(let delay):
      logger.notice(
        "transient failure, retry scheduled",
        metadata: ["error": "\(reason(of: result))", "delay": "\(delay)"])
      await nakLogged(message, delay: delay, logger: logger)
      return .retryScheduled(delay)
    case .deadLetter(let retryCount, let kind):
      return await deadLetter(
        message, identity: item.identity, reason: reason(of: result), kind: kind, retryCount: retryCount,
        receivedAt: item.receivedAt, logger: logger)
    }
  }

  /// Step 5: DLQ publish, then the `failed` ledger row and admin notification, then TERM.
  private func deadLetter<M: WorkMessage>(
    _ message: M, identity: EventIdentity, reason: String, kind: String, retryCount: Int,
    receivedAt: Date, logger: Logger
  ) async -> ProcessingOutcome {
    let service = handler.serviceName
    let failedAt = clock()
    let letter = DeadLetter(
      service: service, message: message, eventId: identity.eventId, eventName: identity.eventName,
      eventType: identity.eventType, error: reason, kind: kind, retryCount: retryCount,
      failedAt: ISOTime.string(failedAt))
    do {
      try await deadLetters.publish(letter)
    } catch {
      logger.error(
        "dead letter not stored; message NAK'ed for another attempt",
        metadata: ["error": "\(FailureReason.describe(error))", "kind": "\(kind)"])
      await nakLogged(message, delay: policy.deferredDeadLetterDelay, logger: logger)
      return .deadLetterDeferred
    }

    let entry = LedgerEntry(
      eventId: identity.eventId, eventName: identity.eventName, correlationId: identity.correlationId,
      status: .failed, retryCount: retryCount, errorMessage: reason, processedAt: nil,
      eventPayload: identity.auditPayload, source: service, dedupeKey: identity.dedupeKey,
      organizationId: identity.organizationId, streamSequence: message.streamSequence,
      receivedAt: ISOTime.string(receivedAt))
    let servedOrganization = identity.organizationId.flatMap {
      tenants.contains($0.lowercasedIfNeeded()) ? $0 : nil
    }
    let notification = OutboxNotification(
      id: letter.msgId, organizationId: servedOrganization ?? EventProcessor.systemOrganization,
      recipientType: "role", recipientId: "system_admin", severity: "high",
      template: EventProcessor.deadLetterTemplate, eventId: identity.eventId)
    do {
      try await database.pool.write { db in
        try Ledger.upsert(db, entry)
        try NotificationOutbox.insert(db, [notification], createdAt: failedAt)
      }
    } catch {
      logger.error(
        "dead letter stored but its ledger row was not; message NAK'ed for another attempt",
        metadata: ["error": "\(FailureReason.describe(error))"])
      await nakLogged(message, delay: policy.deferredDeadLetterDelay, logger: logger)
      return .deadLetterDeferred
    }

    do {
      try await message.term(reason: HeaderText.value("\(kind): \(reason)", limit: 200))
    } catch {
      // Stored already: a redelivery dead-letters again, deduplicated by the DLQ msg id.
      logger.warning(
        "term failed after the dead letter was stored",
        metadata: ["error": "\(FailureReason.describe(error))"])
    }
    logger.warning(
      "event dead-lettered",
      metadata: ["kind": "\(kind)", "retry_count": "\(retryCount)", "error": "\(reason)"])
    return .deadLettered(retryCount: retryCount)
  }

  // MARK: - Helpers

  /// Organization of the admin notification when the event's organization is unknown or not served.
  public static let systemOrganization = "system"
  /// Template of the admin notification written for every dead letter.
  public static let deadLetterTemplate = "event_dead_lettered"

  private func nakLogged<M: WorkMessage>(_ message: M, delay: Duration, logger: Logger) async {
    do {
      try await message.nak(delay: delay)
    } catch {
      // Not acked: the server redelivers after the ack wait.
      logger.warning("nak failed", metadata: ["error": "\(FailureReason.describe(error))"])
    }
  }

  private func reason(of result: ProcessingResult) -> String {
    switch result {
    case .transientFailure(let text), .permanentFailure(let text): return text
    case .processed, .duplicate: return ""
    }
  }

  private func fallbackKey<M: WorkMessage>(_ message: M) -> String {
    "stream:\(message.stream):\(message.streamSequence)"
  }

  /// Identity of a message that is not a CloudEvent: the `ce-id` header if any, else the stream position.
  private func undecodableIdentity<M: WorkMessage>(_ message: M) -> EventIdentity {
    let headerId = DeadLetter.header("ce-id", in: message.headers).map { HeaderText.value($0, limit: 200) }
    let headerType = DeadLetter.header("ce-type", in: message.headers).map {
      HeaderText.value($0, limit: 200)
    }
    let fallback = fallbackKey(message)
    return EventIdentity(
      eventId: headerId.flatMap { $0.isEmpty ? nil : $0 } ?? fallback, eventName: "unknown",
      eventType: headerType.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown", correlationId: nil,
      organizationId: nil, dedupeKey: fallback, auditPayload: nil)
  }

  /// The handler's audit envelope as structured-mode JSON.
  private func auditPayload(for inbound: InboundEvent, logger: Logger) -> String? {
    do {
      let envelope = handler.auditEnvelope(for: inbound)
      // The received event (the default envelope) was validated when it was decoded; comparing
      // an unchanged copy is cheap (its strings, dictionary and data share their storage).
      let bytes =
        envelope == inbound.decoded.cloudEvent
        ? CloudEventJSONFormat.encode(validated: envelope) : try CloudEventJSONFormat.encode(envelope)
      return String(decoding: bytes, as: UTF8.self)
    } catch {
      logger.warning(
        "audit envelope not encodable; ledger row stored without event_payload",
        metadata: ["error": "\(FailureReason.describe(error))"])
      return nil
    }
  }

  /// Runs `body` while sending `+WPI` to every message every `progressInterval`, so a slow
  /// handler (or a wait for the database writer) does not exceed the consumer's ack wait.
  private func withProgressHeartbeat<M: WorkMessage, T: Sendable>(
    _ messages: [M], _ body: () async -> T
  ) async -> T {
    guard let interval = progressInterval else { return await body() }
    let logger = self.logger
    return await withTaskGroup(of: Void.self, returning: T.self) { group in
      group.addTask {
        while true {
          do {
            try await Task.sleep(for: interval)
          } catch {
            return
          }
          for message in messages {
            do {
              try await message.inProgress()
            } catch {
              logger.debug(
                "in-progress signal failed",
                metadata: [
                  "stream_seq": "\(message.streamSequence)", "error": "\(FailureReason.describe(error))",
                ])
            }
          }
        }
      }
      let value = await body()
      group.cancelAll()
      return value
    }
  }
}
