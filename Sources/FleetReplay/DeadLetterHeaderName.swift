/// The `Fleet-DLQ-*` headers a re-drive reads (written by ConsumerRuntime's `DeadLetter`; the
/// names are repeated here because FleetReplay does not depend on the consumer runtime).
enum DeadLetterHeaderName {
  /// The service that dead-lettered the message.
  static let service = "Fleet-DLQ-Service"
  /// The subject the message had when the service received it.
  static let originalSubject = "Fleet-DLQ-Original-Subject"
  /// The CloudEvents id.
  static let eventId = "Fleet-DLQ-Event-Id"
}
