import Foundation
import GRDB
import Logging
import Synchronization

/// Publishes the `fw_event_outbox` rows of a producer database to JetStream, strictly in `seq`
/// order, one at a time with PubAck (seed 001 §4: "outbox relay retries until ACK").
///
/// Each row is published with `Nats-Msg-Id` = its event id and marked published (with the stream
/// sequence) only after its PubAck, so a retry after an ambiguous failure (the message was stored
/// but the PubAck was lost) is deduplicated by the stream and comes back as a `duplicate` PubAck.
/// On a failure the relay stops at that row, records `attempts` and `last_error` on it, backs off
/// (`OutboxBackoff`: exponential, capped, jittered) and retries the same row first: it never skips
/// a row and never reorders. A permanent failure (an event that no longer validates, an API error
/// such as a payload over the limit) is retried at the maximum back-off and logged as an error by
/// id each time; `stats()` shows what blocks the outbox.
///
/// Run one relay per database: two relays would interleave their publishes.
public final class OutboxRelay: Sendable {
  /// The producer database holding `fw_event_outbox`.
  public let database: any DatabaseWriter
  /// How long `run()` waits between polls when the outbox is empty.
  public let pollInterval: Duration
  /// The back-off after failures.
  public let backoff: OutboxBackoff
  /// Rows read per query.
  public let batchSize: Int

  private let publisher: any OutboxMessagePublisher
  private let logger: Logger
  private let clock: @Sendable () -> Date
  private let state = Mutex(State())

  private struct State {
    var busy = false
    var consecutiveFailures = 0
    var lastFailure: OutboxRelayStats.Failure?
    var published = 0
    var duplicates = 0
    var lastPublishedAt: Date?
  }

  /// Creates a relay.
  ///
  /// - Parameters:
  ///   - database: the producer database (migrated with `EventOutbox.migrate(_:)`).
  ///   - publisher: publishes one row and waits for its PubAck (normally an `EventPublisher`).
  ///   - logger: receives event ids, outbox and stream sequences; never payloads.
  ///   - pollInterval: the wait between polls when nothing is pending.
  ///   - backoff: the wait between retries of a failing row.
  ///   - batchSize: rows read per query.
  ///   - clock: the time written to `published_at` and used for ages.
  public init(
    database: any DatabaseWriter, publisher: any OutboxMessagePublisher, logger: Logger,
    pollInterval: Duration = .milliseconds(250), backoff: OutboxBackoff = OutboxBackoff(),
    batchSize: Int = 100,
    clock: @escaping @Sendable () -> Date = Date.init
  ) {
    self.database = database
    self.publisher = publisher
    self.logger = logger
    self.pollInterval = pollInterval > .zero ? pollInterval : .milliseconds(1)
    self.backoff = backoff
    self.batchSize = max(batchSize, 1)
    self.clock = clock
  }

  /// Relays until the task is cancelled: drains the outbox, polls every `pollInterval` while it is
  /// empty, and after a failure waits `backoff` before retrying the same row.
  public func run() async {
    var failures = 0
    while !Task.isCancelled {
      let wait: Duration
      do {
        try await relayPending()
        failures = 0
        wait = pollInterval
      } catch let error as EventPublishingError where error.code == .relayBusy {
        wait = pollInterval
      } catch {
        if Task.isCancelled || error is CancellationError { return }
        failures += 1
        let kind = PublishFailureKind.classify(error)
        wait = backoff.delay(failures: failures, permanent: kind == .permanent)
        logger.debug(
          "outbox relay backing off",
          metadata: ["failures": "\(failures)", "wait": "\(wait)", "kind": "\(kind.rawValue)"])
      }
      do {
        try await Task.sleep(for: wait)
      } catch {
        return
      }
    }
  }

  /// Publishes every pending row in `seq` order, each after the previous one's PubAck, until none
  /// is left (rows enqueued meanwhile included) or a publish fails.
  ///
  /// - Returns: the number of rows published.
  /// - Throws: `EventPublishingError` `.publishFailed` (naming the row; `cause` is the original
  ///   error) after recording the failed attempt on the row; `.relayBusy` when another call on this
  ///   relay is running; `CancellationError`; or a database error. Rows published before the failure
  ///   stay marked.
  @discardableResult
  public func relayPending() async throws -> Int {
    let acquired = state.withLock { state -> Bool in
      if state.busy { return false }
      state.busy = true
      return true
    }
    guard acquired else {
      throw EventPublishingError(.relayBusy, "another relayPending() call on this relay is running")
    }
    defer { state.withLock { $0.busy = false } }

    var published = 0
    let limit = batchSize
    while true {
      try Task.checkCancellation()
      let batch = try await database.read { db in try EventOutbox.pendingRows(db, limit: limit) }
      if batch.isEmpty { return published }
      for row in batch {
        try Task.checkCancellation()
        try await relay(row)
        published += 1
      }
    }
  }

  /// Publishes one row and marks it, or records the failure on it and throws.
  private func relay(_ row: EventOutbox.PendingRow) async throws {
    let receipt: EventPublishReceipt
    do {
      let message = try row.message.get()
      receipt = try await publisher.publish(message)
    } catch {
      if Task.isCancelled || error is CancellationError { throw CancellationError() }
      await recordFailure(error, on: row)
      throw EventPublishingError(
        .publishFailed,
        "outbox row \(row.seq) (event \(PublishableEvent.shown(row.eventID))) was not published",
        cause: error)
    }
    let now = clock()
    let seq = row.seq
    try await database.write { db in
      try EventOutbox.markPublished(db, seq: seq, streamSequence: receipt.streamSequence, at: now)
    }
    state.withLock { state in
      state.published += 1
      state.consecutiveFailures = 0
      state.lastPublishedAt = now
      if receipt.duplicate { state.duplicates += 1 }
    }
    let metadata: Logger.Metadata = [
      "event_id": "\(row.eventID)", "outbox_seq": "\(row.seq)", "stream": "\(receipt.stream)",
      "stream_seq": "\(receipt.streamSequence)",
    ]
    if receipt.duplicate {
      logger.notice(
        "outbox event was already in the stream (duplicate PubAck); marked published", metadata: metadata)
    } else {
      logger.debug("outbox event published", metadata: metadata)
    }
  }

  private func recordFailure(_ error: any Error, on row: EventOutbox.PendingRow) async {
    let kind = PublishFailureKind.classify(error)
    let text = String(describing: error)
    let now = clock()
    let seq = row.seq
    let failures = state.withLock { state -> Int in
      state.consecutiveFailures += 1
      state.lastFailure = OutboxRelayStats.Failure(
        seq: row.seq, eventID: row.eventID, message: text, permanent: kind == .permanent, at: now)
      return state.consecutiveFailures
    }
    var metadata: Logger.Metadata = [
      "event_id": "\(row.eventID)", "outbox_seq": "\(row.seq)", "failures": "\(failures)", "error": "\(text)",
    ]
    if kind == .permanent {
      metadata["retry"] = "at maximum back-off"
      logger.error("outbox event cannot be published; the outbox is blocked at this row", metadata: metadata)
    } else {
      logger.warning("outbox publish failed; retrying the same row", metadata: metadata)
    }
    do {
      try await database.write { db in try EventOutbox.recordFailure(db, seq: seq, error: text) }
    } catch {
      logger.error(
        "could not record the failed attempt on the outbox row",
        metadata: ["event_id": "\(row.eventID)", "outbox_seq": "\(row.seq)", "error": "\(error)"])
    }
  }

  /// The outbox backlog and this relay's counters.
  public func stats() async throws -> OutboxRelayStats {
    let summary = try await database.read { db in try EventOutbox.pendingSummary(db) }
    let now = clock()
    let memory = state.withLock { $0 }
    return OutboxRelayStats(
      pending: summary.count, oldestPendingSeq: summary.oldestSeq,
      oldestPendingEventID: summary.oldestEventID,
      oldestPendingAge: summary.oldestCreatedAt.map { .seconds(max(now.timeIntervalSince($0), 0)) },
      oldestPendingAttempts: summary.oldestAttempts, oldestPendingLastError: summary.oldestLastError,
      lastFailure: memory.lastFailure, consecutiveFailures: memory.consecutiveFailures,
      published: memory.published, duplicates: memory.duplicates, lastPublishedAt: memory.lastPublishedAt)
  }
}
