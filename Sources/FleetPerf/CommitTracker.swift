import Synchronization

/// Watches a service's commits (its `afterCommit` hook): counts them, notes the first and last
/// commit instants, and for events whose publish time was noted, records publish → commit latency.
final class CommitTracker: Sendable {
  private struct State {
    var committed = 0
    var first: ContinuousClock.Instant?
    var last: ContinuousClock.Instant?
    var published: [String: ContinuousClock.Instant] = [:]
    var matched = 0
    /// Every commit in order, while `recordsCommits` (the throughput phase).
    var commits: [(id: String, at: ContinuousClock.Instant)] = []
    var recordsCommits = true
  }

  private let state = Mutex(State())
  let latency = LatencyRecorder()

  /// The service committed the event `id` (called on the service's processing path: keep it short).
  func committed(_ id: String) {
    let now = ContinuousClock.now
    let sent = state.withLock { s -> ContinuousClock.Instant? in
      s.committed += 1
      if s.first == nil { s.first = now }
      s.last = now
      if s.recordsCommits { s.commits.append((id, now)) }
      guard let sent = s.published.removeValue(forKey: id) else { return nil }
      s.matched += 1
      return sent
    }
    if let sent { latency.record(now - sent) }
  }

  /// Notes that `id` is being published now.
  func published(_ id: String) {
    let now = ContinuousClock.now
    state.withLock { $0.published[id] = now }
  }

  /// Commits so far.
  var committedCount: Int { state.withLock { $0.committed } }
  /// Events with a noted publish time that were committed.
  var matchedCount: Int { state.withLock { $0.matched } }
  /// Events with a noted publish time not committed yet.
  var outstanding: Int { state.withLock { $0.published.count } }
  /// First and last commit instants.
  var window: (first: ContinuousClock.Instant?, last: ContinuousClock.Instant?) {
    state.withLock { ($0.first, $0.last) }
  }

  /// Stops recording each commit (the throughput phase is over); counts and latency go on.
  func stopRecordingCommits() {
    state.withLock { $0.recordsCommits = false }
  }

  /// The recorded commits of events not in `retried` (those committed on their first delivery):
  /// how many, and the instant of the last one. A retried event commits only after its NAK
  /// delay (1 s, 2 s, 4 s), a wait set by the retry policy, not by how fast the service works.
  func firstDeliveryCommits(excluding retried: Set<String>) -> (count: Int, last: ContinuousClock.Instant?) {
    state.withLock { s in
      var count = 0
      var last: ContinuousClock.Instant?
      for commit in s.commits where !retried.contains(commit.id) {
        count += 1
        last = commit.at
      }
      return (count, last)
    }
  }
}
