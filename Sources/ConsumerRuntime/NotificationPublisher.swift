/// Publishes one outbox notification (the JetStream implementation sends a CloudEvent on
/// `notifications.<organization_id>.<template>` with `Nats-Msg-Id` = the notification id) and returns
/// only once it is stored.
public protocol NotificationPublisher: Sendable {
  /// Publishes the notification; throws when it is not known to be stored.
  func publish(_ notification: StoredNotification) async throws
}
