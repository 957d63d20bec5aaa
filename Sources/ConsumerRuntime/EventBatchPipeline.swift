import NIOConcurrencyHelpers

/// Batches through an `EventProcessor` in two overlapping stages: `submit` prepares (decodes and
/// checks) a batch on the caller's task and queues it; one applier at a time takes everything
/// queued, merged into one write transaction of up to `maxApplyBatch` messages, and completes it
/// (COMMIT, then the acks). The way `ConsumerService` consumes, and the way
/// `fleet benchmark-processor` measures it.
///
/// Merging matters under load: a pull consumer hands out whatever has arrived, which after a
/// large batch is often a handful of messages. Applied alone, each handful paid a whole COMMIT
/// and its sync while the preparing core sat idle (the fleet benchmark alternated batches of 250
/// and of 3–35). Queued behind the running transaction, they join the next one instead. An idle
/// consumer still applies each message at once: nothing waits for a batch to fill.
///
/// `submit` waits while `maxApplyBatch` prepared messages are already queued, so preparation runs
/// at most one transaction ahead of the applier.
public final class EventBatchPipeline<M: WorkMessage>: Sendable {
  private let processor: EventProcessor
  /// Most messages applied in one transaction (merged batches never exceed it; a single larger
  /// submitted batch is applied whole).
  public let maxApplyBatch: Int
  private let state = NIOLockedValueBox(State())

  private struct State {
    var queue: [EventProcessor.PreparedBatch<M>] = []
    var queuedMessages = 0
    var applying = false
    var outcomes: [ProcessingOutcome] = []
    var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
  }

  /// An empty pipeline over `processor`.
  public init(processor: EventProcessor, maxApplyBatch: Int = 256) {
    self.processor = processor
    self.maxApplyBatch = max(1, maxApplyBatch)
  }

  /// Prepares `batch` and queues it for the applier (starting one if none runs), after waiting
  /// while a full transaction's worth is already queued. Returns the outcomes of the messages
  /// completed since the previous call, in submission order.
  public func submit(_ batch: [M]) async -> [ProcessingOutcome] {
    guard !batch.isEmpty else { return takeOutcomes() }
    let prepared = processor.prepare(batch: batch)
    while !enqueue(prepared) {
      await waitForSpace()
    }
    return takeOutcomes()
  }

  /// Waits until everything submitted is completed and returns the outcomes not yet returned.
  public func drain() async -> [ProcessingOutcome] {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let idle = state.withLockedValue { s -> Bool in
        if !s.applying && s.queue.isEmpty { return true }
        s.idleWaiters.append(continuation)
        return false
      }
      if idle { continuation.resume() }
    }
    return takeOutcomes()
  }

  private func takeOutcomes() -> [ProcessingOutcome] {
    state.withLockedValue { s in
      defer { s.outcomes = [] }
      return s.outcomes
    }
  }

  /// Queues `prepared` unless a full transaction's worth is already queued; starts the applier
  /// if none runs. (Queued messages imply a running applier, which frees the space.)
  private func enqueue(_ prepared: EventProcessor.PreparedBatch<M>) -> Bool {
    let (queued, startApplier) = state.withLockedValue { s -> (Bool, Bool) in
      guard s.queuedMessages < maxApplyBatch else { return (false, false) }
      s.queue.append(prepared)
      s.queuedMessages += prepared.count
      defer { s.applying = true }
      return (true, !s.applying)
    }
    if startApplier { Task { await self.applyQueued() } }
    return queued
  }

  /// Returns once fewer than `maxApplyBatch` prepared messages are queued.
  private func waitForSpace() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let full = state.withLockedValue { s -> Bool in
        guard s.queuedMessages >= maxApplyBatch else { return false }
        s.spaceWaiters.append(continuation)
        return true
      }
      if !full { continuation.resume() }
    }
  }

  /// The applier: takes the queued batches (merged up to `maxApplyBatch`) until none is left.
  private func applyQueued() async {
    while true {
      let (work, spaceWaiters, idleWaiters) = state.withLockedValue {
        s -> (
          EventProcessor.PreparedBatch<M>?, [CheckedContinuation<Void, Never>],
          [CheckedContinuation<Void, Never>]
        ) in
        guard !s.queue.isEmpty else {
          s.applying = false
          defer { s.idleWaiters = [] }
          return (nil, [], s.idleWaiters)
        }
        var merged = s.queue.removeFirst()
        while let next = s.queue.first, merged.count + next.count <= maxApplyBatch {
          merged.append(next)
          s.queue.removeFirst()
        }
        s.queuedMessages -= merged.count
        defer { s.spaceWaiters = [] }
        return (merged, s.spaceWaiters, [])
      }
      for waiter in spaceWaiters { waiter.resume() }
      for waiter in idleWaiters { waiter.resume() }
      guard let work else { return }
      let outcomes = await processor.complete(work)
      state.withLockedValue { $0.outcomes.append(contentsOf: outcomes) }
    }
  }
}
