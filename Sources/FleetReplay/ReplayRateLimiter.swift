/// Paces publishes to at most `rate` per second: message n may go at `start + n / rate`. Falling
/// behind (a slow PubAck window) never builds up a burst larger than one second's worth (`rate`).
struct ReplayRateLimiter: Sendable {
  /// Messages per second.
  let rate: Double
  private var next: ContinuousClock.Instant?

  /// Creates a limiter for `rate` messages per second (must be positive).
  init(rate: Double) {
    self.rate = rate
  }

  /// The gap between two messages.
  var interval: Duration { .nanoseconds(Int64((1_000_000_000 / rate).rounded())) }

  /// When the next message may go, given the current time, and books that slot.
  mutating func reserve(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
    let earliest = now - .seconds(1) + interval
    var slot = next ?? now
    if slot < earliest { slot = earliest }
    next = slot + interval
    return max(slot, now)
  }

  /// Waits for the next slot (throws `CancellationError` when the task is cancelled).
  mutating func wait() async throws {
    let slot = reserve(now: .now)
    if slot > .now { try await Task.sleep(until: slot, clock: .continuous) }
  }
}
