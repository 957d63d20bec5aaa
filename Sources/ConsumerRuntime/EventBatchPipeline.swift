import NIOConcurrencyHelpers

/// Batches through an `EventProcessor` in three overlapping stages: `submit` prepares (decodes and
/// checks) a batch on the caller's task and queues it; one applier at a time takes everything
/// queued, merged into one write transaction of up to `maxApplyBatch` messages, and commits it;
/// one settler at a time acknowledges the committed batches, in order, while the applier runs the
/// next transaction. The way `ConsumerService` consumes, and the way
/// `fleet benchmark-processor` measures it.
///
/// Merging matters under load: a pull consumer hands out whatever has arrived, which after a
/// large batch is often a handful of messages. Applied alone, each handful paid a whole COMMIT
/// and its sync while the preparing core sat idle (the fleet benchmark alternated batches of 250
/// and of 3–35). Queued behind the running transaction, they join the next one instead. An idle
/// consumer still applies each message at once: nothing waits for a batch to fill.
///
/// Settling apart matters too: the transaction is the serial stage, and acknowledging 1,000
/// messages (and releasing their decoded events) took ~16 µs per message after each COMMIT, an
/// eighth of the applier's time in the fleet benchmark. A message is still acknowledged only
/// after the COMMIT of its own transaction.
///
/// `submit` waits while `maxApplyBatch` prepared messages are already queued, and the applier
/// waits while `maxApplyBatch` committed messages are waiting to be settled, so each stage runs at
/// most one transaction ahead of the next.
public final class EventBatchPipeline<M: WorkMessage>: Sendable {
  private let processor: EventProcessor
  /// Most messages applied in one transaction (merged batches never exceed it; a single larger
  /// submitted batch is applied whole).
  public let maxApplyBatch: Int
  private let state = NIOLockedValueBox(State())

  /// Work waiting for one stage, and whether that stage's task runs.
  private struct StageQueue<Work: Sendable>: Sendable {
    var batches: [Work] = []
    /// Messages in `batches`.
    var messages = 0
    var running = false
    /// Callers waiting for `messages` to fall below `maxApplyBatch`.
    var spaceWaiters: [CheckedContinuation<Void, Never>] = []

    var isIdle: Bool { !running && batches.isEmpty }
  }

  private struct State: Sendable {
    /// Prepared batches, for the applier.
    var prepared = StageQueue<EventProcessor.PreparedBatch<M>>()
    /// Committed batches, for the settler.
    var committed = StageQueue<EventProcessor.CommittedBatch<M>>()
    var outcomes: [ProcessingOutcome] = []
    var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// The drain waiters to resume when the pipeline has become idle, else none.
    mutating func takeIdleWaitersIfIdle() -> [CheckedContinuation<Void, Never>] {
      guard prepared.isIdle && committed.isIdle else { return [] }
      defer { idleWaiters = [] }
      return idleWaiters
    }
  }

  /// An empty pipeline over `processor`.
  public init(processor: EventProcessor, maxApplyBatch: Int = 256) {
    self.processor = processor
    self.maxApplyBatch = max(1, maxApplyBatch)
  }

  /// Prepares `batch` and queues it for the applier (starting one if none runs), after waiting
  /// while a full transaction's worth is already queued. Returns the outcomes of the messages
  /// settled since the previous call, in submission order.
  public func submit(_ batch: [M]) async -> [ProcessingOutcome] {
    guard !batch.isEmpty else { return takeOutcomes() }
    let prepared = processor.prepare(batch: batch)
    while !enqueue(prepared) {
      await waitForSpace(in: \.prepared)
    }
    return takeOutcomes()
  }

  /// Waits until everything submitted is settled and returns the outcomes not yet returned.
  public func drain() async -> [ProcessingOutcome] {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let waiters = state.withLockedValue { s in
        s.idleWaiters.append(continuation)
        return s.takeIdleWaitersIfIdle()
      }
      for waiter in waiters { waiter.resume() }
    }
    return takeOutcomes()
  }

  private func takeOutcomes() -> [ProcessingOutcome] {
    state.withLockedValue { s in
      defer { s.outcomes = [] }
      return s.outcomes
    }
  }

  /// Queues `prepared` for the applier unless a full transaction's worth is already queued;
  /// starts the applier if none runs.
  private func enqueue(_ prepared: EventProcessor.PreparedBatch<M>) -> Bool {
    let (queued, start) = enqueue(prepared, count: prepared.count, in: \.prepared)
    if start { Task { await self.applyQueued() } }
    return queued
  }

  /// Queues `committed` for the settler unless a full transaction's worth already waits; starts
  /// the settler if none runs.
  private func enqueue(_ committed: EventProcessor.CommittedBatch<M>) -> Bool {
    let (queued, start) = enqueue(committed, count: committed.count, in: \.committed)
    if start { Task { await self.settleCommitted() } }
    return queued
  }

  /// Appends `work` to a stage unless `maxApplyBatch` messages already wait there (queued work
  /// implies a running stage task, which frees the space). Returns whether it was queued and
  /// whether the caller must start the stage's task.
  private func enqueue<Work: Sendable>(
    _ work: Work, count: Int, in stage: WritableKeyPath<State, StageQueue<Work>>
  ) -> (queued: Bool, start: Bool) {
    state.withLockedValue { s in
      guard s[keyPath: stage].messages < maxApplyBatch else { return (false, false) }
      s[keyPath: stage].batches.append(work)
      s[keyPath: stage].messages += count
      defer { s[keyPath: stage].running = true }
      return (true, !s[keyPath: stage].running)
    }
  }

  /// Returns once fewer than `maxApplyBatch` messages wait in `stage`.
  private func waitForSpace<Work: Sendable>(in stage: WritableKeyPath<State, StageQueue<Work>>) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let full = state.withLockedValue { s -> Bool in
        guard s[keyPath: stage].messages >= maxApplyBatch else { return false }
        s[keyPath: stage].spaceWaiters.append(continuation)
        return true
      }
      if !full { continuation.resume() }
    }
  }

  /// Takes the next work of `stage` (`take` removes it and returns its message count) and the
  /// waiters to resume; with nothing left, marks the stage stopped and returns nil.
  private func next<Work: Sendable>(
    from stage: WritableKeyPath<State, StageQueue<Work>>,
    take: (inout StageQueue<Work>) -> (Work, Int)
  ) -> (work: Work?, waiters: [CheckedContinuation<Void, Never>]) {
    state.withLockedValue { s in
      guard !s[keyPath: stage].batches.isEmpty else {
        s[keyPath: stage].running = false
        return (nil, s.takeIdleWaitersIfIdle())
      }
      let (work, count) = take(&s[keyPath: stage])
      s[keyPath: stage].messages -= count
      defer { s[keyPath: stage].spaceWaiters = [] }
      return (work, s[keyPath: stage].spaceWaiters)
    }
  }

  /// The applier: takes the queued batches (merged up to `maxApplyBatch`) until none is left,
  /// commits each and hands it to the settler.
  private func applyQueued() async {
    while true {
      let (work, waiters) = next(from: \.prepared) { queue in
        var merged = queue.batches.removeFirst()
        while let following = queue.batches.first, merged.count + following.count <= maxApplyBatch {
          merged.append(following)
          queue.batches.removeFirst()
        }
        return (merged, merged.count)
      }
      for waiter in waiters { waiter.resume() }
      guard let work else { return }
      let committed = await processor.commit(work)
      while !enqueue(committed) {
        await waitForSpace(in: \.committed)
      }
    }
  }

  /// The settler: settles the committed batches in order until none is left.
  private func settleCommitted() async {
    while true {
      let (batch, waiters) = next(from: \.committed) { queue in
        let batch = queue.batches.removeFirst()
        return (batch, batch.count)
      }
      for waiter in waiters { waiter.resume() }
      guard let batch else { return }
      let outcomes = await processor.settle(batch)
      state.withLockedValue { $0.outcomes.append(contentsOf: outcomes) }
    }
  }
}
