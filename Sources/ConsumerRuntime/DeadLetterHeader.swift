/// Names of the runtime's own dead-letter headers.
public enum DeadLetterHeader {
  /// Sanitized error text (no payload bytes).
  public static let error = "Fleet-DLQ-Error"
  /// `transient_exhausted` or `permanent`.
  public static let errorKind = "Fleet-DLQ-Error-Kind"
  /// Service that dead-lettered the message.
  public static let service = "Fleet-DLQ-Service"
  /// Durable consumer that delivered the message.
  public static let consumer = "Fleet-DLQ-Consumer"
  /// Work stream the message came from.
  public static let stream = "Fleet-DLQ-Stream"
  /// Sequence of the message in that stream.
  public static let streamSequence = "Fleet-DLQ-Stream-Seq"
  /// Subject the original message was published on (where a re-drive republishes it).
  public static let originalSubject = "Fleet-DLQ-Original-Subject"
  /// Retries before the dead letter (3 when transient retries were exhausted, usually 0 when permanent).
  public static let retryCount = "Fleet-DLQ-Retry-Count"
  /// CloudEvents id (or `stream:<stream>:<seq>` when the message had none).
  public static let eventId = "Fleet-DLQ-Event-Id"
  /// CloudEvents type (or `unknown`).
  public static let eventType = "Fleet-DLQ-Event-Type"
  /// When the runtime gave up, ISO 8601 UTC.
  public static let failedAt = "Fleet-DLQ-Failed-At"
}
