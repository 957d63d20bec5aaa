/// How long the outbox relay waits before retrying the same row: exponential, capped, jittered.
///
/// After `n` consecutive failures the nominal wait is `initial * multiplier^(n-1)`, at most
/// `maximum`; a random part of up to `jitter` of it is then taken off, so several relays that
/// failed together do not retry in lockstep. A permanent failure (one that retrying cannot fix
/// without an operator) always waits the jittered `maximum`.
public struct OutboxBackoff: Sendable, Hashable {
  /// The nominal wait after the first failure.
  public var initial: Duration
  /// The longest nominal wait.
  public var maximum: Duration
  /// The growth factor per consecutive failure (at least 1).
  public var multiplier: Double
  /// The largest fraction (0…1) of the nominal wait removed at random.
  public var jitter: Double

  /// Creates a back-off policy; out-of-range values are clamped (`maximum >= initial > 0`,
  /// `multiplier >= 1`, `0 <= jitter <= 1`).
  public init(
    initial: Duration = .milliseconds(100), maximum: Duration = .seconds(30), multiplier: Double = 2,
    jitter: Double = 0.2
  ) {
    let initial = initial > .zero ? initial : .milliseconds(1)
    self.initial = initial
    self.maximum = max(maximum, initial)
    self.multiplier = multiplier.isFinite ? max(multiplier, 1) : 2
    self.jitter = jitter.isFinite ? min(max(jitter, 0), 1) : 0
  }

  /// The nominal (un-jittered) wait after `failures` consecutive failures (`failures >= 1`).
  public func nominalDelay(failures: Int, permanent: Bool = false) -> Duration {
    if permanent { return maximum }
    var wait = initial
    var step = 1
    while step < failures && wait < maximum {
      wait = wait * multiplier
      step += 1
    }
    return min(wait, maximum)
  }

  /// The wait after `failures` consecutive failures.
  ///
  /// - Parameters:
  ///   - failures: consecutive failures so far, at least 1.
  ///   - permanent: whether the last failure is permanent (then the nominal wait is `maximum`).
  ///   - unitRandom: a value in 0…1 (injected for tests); the jitter removed is `jitter * unitRandom`
  ///     of the nominal wait.
  public func delay(failures: Int, permanent: Bool = false, unitRandom: Double = Double.random(in: 0...1))
    -> Duration
  {
    let nominal = nominalDelay(failures: failures, permanent: permanent)
    let random = unitRandom.isFinite ? min(max(unitRandom, 0), 1) : 0
    return nominal * (1 - jitter * random)
  }
}
