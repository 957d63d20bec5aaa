import Foundation
import GRDB
import Logging

/// Publishes the `pf_notifications` outbox: pending rows in the order they were written, each
/// marked published only after its publish succeeded. A failed publish stops the batch, counts an
/// attempt on the row and makes `run()` back off before the next try (see `publishPending()`).
/// Delivery is at least once; the notification id as `Nats-Msg-Id` removes the repeats.
public final class NotificationRelay: Sendable {
  /// The service database holding the outbox.
  public let database: ServiceDatabase
  /// How long `run()` waits when nothing is pending.
  public let pollInterval: Duration
  /// Upper bound of the back-off after consecutive failures.
  public let maxBackoff: Duration
  /// Rows read per batch.
  public let batchSize: Int

  private let publisher: any NotificationPublisher
  private let logger: Logger
  private let clock: @Sendable () -> Date

  /// Creates a relay.
  /// - Parameters:
  ///   - database: the service database.
  ///   - publisher: where notifications go.
  ///   - logger: logs notification ids and templates only.
  ///   - pollInterval: wait between polls when the outbox is empty (also the first back-off step).
  ///   - maxBackoff: longest wait after repeated failures.
  ///   - batchSize: rows read per poll.
  ///   - clock: time written to `published_at`.
  public init(
    database: ServiceDatabase, publisher: any NotificationPublisher, logger: Logger,
    pollInterval: Duration = .seconds(1), maxBackoff: Duration = .seconds(30), batchSize: Int = 100,
    clock: @escaping @Sendable () -> Date = Date.init
  ) {
    self.database = database
    self.publisher = publisher
    self.logger = logger
    self.pollInterval = pollInterval > .zero ? pollInterval : .milliseconds(1)
    self.maxBackoff = max(maxBackoff, self.pollInterval)
    self.batchSize = max(batchSize, 1)
    self.clock = clock
  }

  /// Publishes until the task is cancelled: drains the outbox, waits `pollInterval` when it is
  /// empty, backs off (doubling up to `maxBackoff`) after a failure.
  public func run() async {
    var failures = 0
    while !Task.isCancelled {
      let wait: Duration
      do {
        let published = try await publishPending()
        failures = 0
        if published > 0 { continue }
        wait = pollInterval
      } catch {
        if Task.isCancelled { return }
        failures += 1
        wait = NotificationRelay.backoff(failures: failures, base: pollInterval, max: maxBackoff)
        logger.warning(
          "notification publish failed; backing off",
          metadata: [
            "error": "\(FailureReason.describe(error))", "failures": "\(failures)", "wait": "\(wait)",
          ])
      }
      do {
        try await Task.sleep(for: wait)
      } catch {
        return
      }
    }
  }

  /// Publishes the pending notifications of one batch in written order and returns how many
  /// were published. The publisher may keep several in flight (the JetStream one pipelines a
  /// batch through an async publisher, one round trip per batch instead of per notification).
  /// Throws the batch's first failure after recording the failed attempt on its row; rows known to
  /// be stored (before it, and after it when they were already in flight) are marked published,
  /// the rest are retried by the next call. The published rows of a batch are marked in one
  /// transaction (one sync, not one per row); a crash before that mark re-publishes them on the
  /// next start, which the stream deduplicates by `Nats-Msg-Id`.
  ///
  /// Order: the stream receives a batch in written order. Only when a notification fails while
  /// later ones of its batch are stored does its retry land after them; notifications are
  /// independent messages with their own ids, and nothing reads an order across them.
  @discardableResult
  public func publishPending() async throws -> Int {
    let limit = batchSize
    let pending = try await database.pool.read { db in
      try NotificationOutbox.unpublished(db, limit: limit)
    }
    if pending.isEmpty { return 0 }
    let outcome = await publisher.publish(batch: pending)
    if let failure = outcome.failure, !(failure.error is CancellationError) {
      let id = pending[failure.index].id
      try? await database.pool.write { db in
        try NotificationOutbox.recordFailedAttempt(db, id: id)
      }
    }
    let publishedIds = outcome.stored.map { pending[$0].id }
    for index in outcome.stored {
      logger.debug(
        "notification published",
        metadata: [
          "notification_id": "\(pending[index].id)", "template": "\(pending[index].notification.template)",
        ])
    }
    if !publishedIds.isEmpty {
      let now = clock()
      try await database.pool.write { db in
        try NotificationOutbox.markPublished(db, ids: publishedIds, at: now)
      }
    }
    if let failure = outcome.failure { throw failure.error }
    return publishedIds.count
  }

  /// `base * 2^(failures-1)`, at most `max`.
  static func backoff(failures: Int, base: Duration, max limit: Duration) -> Duration {
    var wait = base
    var step = 1
    while step < failures && wait < limit {
      wait *= 2
      step += 1
    }
    return min(wait, limit)
  }
}
