import DomainEvents

/// Receives one report per processed message, for metrics. Use only bounded values as metric
/// labels (`kind`, `result.label`, `outcome.label`), never ids.
public protocol ProcessingObserver: Sendable {
  /// Called once per `EventProcessor.process` call, after the message was acked, nak'ed or terminated.
  /// `kind` is `nil` when the message could not be decoded.
  func eventProcessed(
    kind: DomainEventKind?, result: ProcessingResult, outcome: ProcessingOutcome, latency: Duration)
}
