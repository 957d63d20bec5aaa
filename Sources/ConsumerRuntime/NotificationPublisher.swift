/// Publishes outbox notifications (the JetStream implementation sends a CloudEvent on
/// `notifications.<organization_id>.<template>` with `Nats-Msg-Id` = the notification id) and
/// reports each only once it is stored.
public protocol NotificationPublisher: Sendable {
  /// Publishes the notification; throws when it is not known to be stored.
  func publish(_ notification: StoredNotification) async throws

  /// Publishes `notifications` in their order and reports which are known to be stored.
  ///
  /// An implementation may keep several in flight at once (sent in order, confirmed later). It
  /// stops sending at the first one it cannot hand over, so nothing after that one is attempted.
  /// The default publishes one at a time and stops at the first failure.
  func publish(batch notifications: [StoredNotification]) async -> NotificationBatchOutcome
}

/// What `NotificationPublisher.publish(batch:)` did with a batch.
public struct NotificationBatchOutcome: Sendable {
  /// Positions (in the batch) of the notifications known to be stored, ascending.
  public var stored: [Int]
  /// The first notification of the batch that failed, and why (nil: all stored). Notifications
  /// after it may be stored (`stored`) when they were already in flight.
  public var failure: (index: Int, error: any Error)?

  /// Creates an outcome.
  public init(stored: [Int], failure: (index: Int, error: any Error)? = nil) {
    self.stored = stored
    self.failure = failure
  }
}

extension NotificationPublisher {
  /// One at a time, stopping at the first failure.
  public func publish(batch notifications: [StoredNotification]) async -> NotificationBatchOutcome {
    var stored: [Int] = []
    stored.reserveCapacity(notifications.count)
    for (index, notification) in notifications.enumerated() {
      do {
        try Task.checkCancellation()
        try await publish(notification)
      } catch {
        return NotificationBatchOutcome(stored: stored, failure: (index, error))
      }
      stored.append(index)
    }
    return NotificationBatchOutcome(stored: stored)
  }
}
