/// The ack/nak/term decision for one delivery: one pure function of the result, the delivery count
/// and the retry policy.
public enum DeliveryDecision: Sendable, Equatable {
  /// Processed or duplicate: `+ACK`.
  case ack
  /// Transient failure with retries left: `-NAK` with this delay.
  case nak(delay: Duration)
  /// Permanent failure, or transient failure with no retries left: store a dead letter, then `+TERM`.
  /// `kind` is `permanent` or `transient_exhausted`.
  case deadLetter(retryCount: Int, kind: String)

  /// `Fleet-DLQ-Error-Kind` of a permanent failure.
  public static let permanentKind = "permanent"
  /// `Fleet-DLQ-Error-Kind` of a transient failure whose retries are used up.
  public static let transientExhaustedKind = "transient_exhausted"

  /// Decides what to do with a delivery.
  ///
  /// - processed, duplicate → `.ack`
  /// - transient on delivery n < `policy.maxDeliver` → `.nak(delay: policy.delays[n-1])`
  /// - transient on delivery n ≥ `policy.maxDeliver` → `.deadLetter(retryCount: policy.delays.count, kind: "transient_exhausted")`
  /// - permanent on delivery n → `.deadLetter(retryCount: n-1, kind: "permanent")` (0 on a first delivery)
  ///
  /// A delivery count below 1 (never sent by JetStream) is treated as 1.
  public static func decide(_ result: ProcessingResult, deliveryCount: Int, policy: RetryPolicy)
    -> DeliveryDecision
  {
    let delivery = max(deliveryCount, 1)
    switch result {
    case .processed, .duplicate:
      return .ack
    case .transientFailure:
      if delivery < policy.maxDeliver {
        return .nak(delay: policy.delays[delivery - 1])
      }
      return .deadLetter(retryCount: policy.delays.count, kind: transientExhaustedKind)
    case .permanentFailure:
      return .deadLetter(retryCount: delivery - 1, kind: permanentKind)
    }
  }
}
