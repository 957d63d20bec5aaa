/// Redelivery delays for transient failures: `-NAK` with these delays, then a dead letter.
///
/// With the default `[1 s, 2 s, 4 s]` an event gets 4 deliveries (`maxDeliver`): the first one and
/// three retries, matching the seeds' "exponential backoff: 1s, 2s, 4s; max 3 retries".
public struct RetryPolicy: Sendable, Equatable {
  /// Delay before retry n (index n-1); the number of retries is `delays.count`.
  public var delays: [Duration]

  /// Creates a policy; the default is 1 s, 2 s, 4 s.
  public init(delays: [Duration] = [.seconds(1), .seconds(2), .seconds(4)]) {
    self.delays = delays
  }

  /// Total deliveries an event gets before a transient failure becomes a dead letter.
  public var maxDeliver: Int { delays.count + 1 }

  /// Delay used when a dead letter could not be stored and the message is NAK'ed for another try.
  public var deferredDeadLetterDelay: Duration { delays.last ?? .seconds(1) }
}
