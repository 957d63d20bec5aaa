import NATSWire
import NIOConcurrencyHelpers
import NIOCore

/// A subscription: an `AsyncSequence` of messages with bounded pending (messages and bytes).
///
/// Messages are queued by the connection's read path and handed over to the iterator in batches.
/// When the queue is over its limits, further messages are dropped, a `slowConsumer` event is
/// emitted on the connection, and the iterator's next call throws `NATSError(.slowConsumer)`
/// once (a new iterator continues with the queued messages). Nothing is dropped silently.
public final class NATSSubscription: AsyncSequence, Sendable {
  public typealias Element = NATSMessage

  /// The subject (may contain wildcards).
  public let subject: String
  /// The queue group, if any.
  public let queue: String?
  /// Subscription id on the connection.
  public let sid: UInt64
  /// Pending limits.
  public let limits: NATSPendingLimits

  let callback: (@Sendable (NATSMessage) -> Void)?
  private let state: NIOLockedValueBox<State>
  private let unsubscribeHandler: @Sendable (NATSSubscription, Int?) throws -> Void

  struct State {
    var queue = CircularBuffer<NATSMessage>(initialCapacity: 16)
    var pendingBytes = 0
    var waiter: CheckedContinuation<NATSMessage?, any Error>?
    var finished = false
    var finishError: NATSError?
    var unreportedDrops = 0
    var dropped = 0
    var received = 0
    var max: Int?
  }

  enum EnqueueResult {
    case delivered
    /// Dropped; `first` is true for the first drop since the last report.
    case dropped(first: Bool)
    /// Delivered, and the auto-unsubscribe maximum is reached.
    case reachedMax
    case ignored
  }

  init(
    subject: String, queue: String?, sid: UInt64, limits: NATSPendingLimits,
    callback: (@Sendable (NATSMessage) -> Void)? = nil,
    unsubscribe: @escaping @Sendable (NATSSubscription, Int?) throws -> Void
  ) {
    self.subject = subject
    self.queue = queue
    self.sid = sid
    self.limits = limits
    self.callback = callback
    self.unsubscribeHandler = unsubscribe
    self.state = NIOLockedValueBox(State())
  }

  /// Messages queued and not yet consumed.
  public var pendingMessages: Int { state.withLockedValue { $0.queue.count } }
  /// Bytes queued and not yet consumed.
  public var pendingBytes: Int { state.withLockedValue { $0.pendingBytes } }
  /// Messages dropped because the queue was full.
  public var droppedMessages: Int { state.withLockedValue { $0.dropped } }
  /// Messages received from the server so far.
  public var receivedMessages: Int { state.withLockedValue { $0.received } }

  /// Remaining messages before auto-unsubscribe (nil = unlimited); used when re-subscribing after reconnect.
  var remainingMax: Int? {
    state.withLockedValue { s in s.max.map { Swift.max($0 - s.received, 0) } }
  }

  var isFinished: Bool { state.withLockedValue { $0.finished } }

  /// Unsubscribes now, or after `max` messages in total have been received.
  public func unsubscribe(after max: Int? = nil) throws {
    if let max {
      let done = state.withLockedValue { s -> Bool in
        s.max = max
        return s.received >= max
      }
      if done {
        try unsubscribeHandler(self, nil)
        return
      }
    }
    try unsubscribeHandler(self, max)
  }

  func enqueue(_ message: NATSMessage) -> EnqueueResult {
    if let callback {
      let reached = state.withLockedValue { s -> Bool in
        s.received += 1
        return s.max.map { s.received >= $0 } ?? false
      }
      callback(message)
      return reached ? .reachedMax : .delivered
    }
    var resume: CheckedContinuation<NATSMessage?, any Error>?
    let result = state.withLockedValue { s -> EnqueueResult in
      if s.finished { return .ignored }
      if let max = s.max, s.received >= max { return .ignored }
      s.received += 1
      let reached = s.max.map { s.received >= $0 } ?? false
      if let waiter = s.waiter {
        s.waiter = nil
        resume = waiter
        if reached { s.finished = true }
        return reached ? .reachedMax : .delivered
      }
      if s.queue.count >= limits.messages || s.pendingBytes + message.wireSize > limits.bytes {
        s.received -= 1
        s.dropped += 1
        s.unreportedDrops += 1
        return .dropped(first: s.unreportedDrops == 1)
      }
      s.queue.append(message)
      s.pendingBytes += message.wireSize
      if reached { s.finished = true }
      return reached ? .reachedMax : .delivered
    }
    resume?.resume(returning: message)
    return result
  }

  /// No more messages will arrive; the iterator returns what is queued, then ends (or throws `error`).
  func finish(error: NATSError? = nil) {
    let waiter = state.withLockedValue { s -> CheckedContinuation<NATSMessage?, any Error>? in
      if s.finished && s.waiter == nil { return nil }
      s.finished = true
      if s.finishError == nil { s.finishError = error }
      guard s.queue.isEmpty, let w = s.waiter else { return nil }
      s.waiter = nil
      return w
    }
    if let waiter {
      if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
    }
  }

  /// Async iterator; takes queued messages in batches to keep the lock off the hot path.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let subscription: NATSSubscription
    var batch: [NATSMessage] = []
    var index = 0

    public mutating func next() async throws -> NATSMessage? {
      if index < batch.count {
        defer { index += 1 }
        return batch[index]
      }
      batch.removeAll(keepingCapacity: true)
      index = 0
      let sub = subscription
      enum Step {
        case batch([NATSMessage])
        case end(NATSError?)
        case slow(Int)
        case wait
      }
      let step = sub.state.withLockedValue { s -> Step in
        if s.unreportedDrops > 0 {
          let n = s.unreportedDrops
          s.unreportedDrops = 0
          return .slow(n)
        }
        if !s.queue.isEmpty {
          let taken = Array(s.queue)
          s.queue.removeAll(keepingCapacity: true)
          s.pendingBytes = 0
          return .batch(taken)
        }
        if s.finished { return .end(s.finishError) }
        return .wait
      }
      switch step {
      case .batch(let messages):
        batch = messages
        index = 1
        return messages[0]
      case .end(let error):
        if let error { throw error }
        return nil
      case .slow(let n):
        throw NATSError(
          .slowConsumer,
          "subscription \(sub.sid) on '\(sub.subject)' dropped \(n) messages: pending limits reached")
      case .wait:
        return try await sub.waitForNext()
      }
    }
  }

  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: self) }

  private func waitForNext() async throws -> NATSMessage? {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (c: CheckedContinuation<NATSMessage?, any Error>) in
        enum Immediate {
          case none
          case message(NATSMessage)
          case end(NATSError?)
          case cancelled
        }
        let immediate = state.withLockedValue { s -> Immediate in
          if Task.isCancelled { return .cancelled }
          if let first = s.queue.popFirst() {
            s.pendingBytes -= first.wireSize
            return .message(first)
          }
          if s.finished { return .end(s.finishError) }
          s.waiter = c
          return .none
        }
        switch immediate {
        case .none: break
        case .message(let m): c.resume(returning: m)
        case .end(let e):
          if let e { c.resume(throwing: e) } else { c.resume(returning: nil) }
        case .cancelled: c.resume(throwing: CancellationError())
        }
      }
    } onCancel: {
      let waiter = state.withLockedValue { s -> CheckedContinuation<NATSMessage?, any Error>? in
        defer { s.waiter = nil }
        return s.waiter
      }
      waiter?.resume(throwing: CancellationError())
    }
  }
}
