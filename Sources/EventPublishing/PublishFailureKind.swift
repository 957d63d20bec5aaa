import JetStream
import NATS

/// Whether retrying a failed publish can succeed without an operator.
public enum PublishFailureKind: String, Sendable, Hashable {
  /// Timeout, no responders (no stream yet, or a leader change), disconnected, buffer full: retry.
  case transient
  /// The event or the request is wrong for the server (invalid event, payload over the limit,
  /// permission denied, a JetStream API error other than 5xx): retrying repeats the failure.
  case permanent

  /// Classifies an error thrown while publishing; unknown errors count as transient.
  public static func classify(_ error: any Error) -> PublishFailureKind {
    if let error = error as? EventPublishingError {
      switch error.code {
      case .invalidEvent, .unknownSubject, .invalidSubject, .undecodable:
        return .permanent
      case .publishFailed:
        return error.cause.map(classify) ?? .transient
      case .duplicateEventID, .notInTransaction, .relayBusy, .unreadableInput:
        return .transient
      }
    }
    if let error = error as? JetStreamAPIError {
      // 5xx (no leader, store failed, stream full with discard new), 408 and 429 can pass; the
      // rest (payload too large, wrong expectations, bad subject) repeats on every attempt.
      let retryable = error.code >= 500 || error.code == 408 || error.code == 429
      return retryable ? .transient : .permanent
    }
    if let error = error as? JetStreamError {
      switch error.code {
      case .invalidArgument:
        return .permanent
      default:
        return error.cause.map(classify) ?? .transient
      }
    }
    if let error = error as? NATSError {
      switch error.code {
      case .maxPayloadExceeded, .invalidSubject, .permissionsViolation, .invalidArgument:
        return .permanent
      default:
        return .transient
      }
    }
    return .transient
  }
}
