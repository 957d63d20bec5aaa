import Synchronization

/// The eventual PubAck of one asynchronously published message. Completes exactly once: with
/// the PubAck, with the server's `JetStreamAPIError`, with `JetStreamError(.timeout)` when no ack
/// arrived within the publisher's ack timeout, or with `.closed` when the publisher closes.
public final class JetStreamPubAckFuture: Sendable {
  /// The message's `Nats-Msg-Id` (given or generated).
  public let msgId: String
  /// The subject it was published to.
  public let subject: String
  /// Inline in the object (one allocation per future, not two as with a boxed lock).
  private let state = Mutex(State())

  private struct State {
    var result: Result<PubAck, any Error>?
    var waiters: [UInt64: CheckedContinuation<PubAck, any Error>] = [:]
    var nextID: UInt64 = 0
  }

  init(msgId: String, subject: String) {
    self.msgId = msgId
    self.subject = subject
  }

  /// The result if already known (non-blocking).
  public var result: Result<PubAck, any Error>? { state.withLock { $0.result } }

  /// Waits for the PubAck. Bounded: the publisher fails the future after its ack timeout.
  public func value() async throws -> PubAck {
    let id = state.withLock { s -> UInt64 in
      s.nextID &+= 1
      return s.nextID
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PubAck, any Error>) in
        let ready = state.withLock { s -> Result<PubAck, any Error>? in
          if let result = s.result { return result }
          if Task.isCancelled { return .failure(CancellationError()) }
          s.waiters[id] = continuation
          return nil
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
      waiter?.resume(throwing: CancellationError())
    }
  }

  /// Completes the future; later completions are ignored. Returns whether this one counted.
  @discardableResult
  func complete(_ result: Result<PubAck, any Error>) -> Bool {
    let waiters = state.withLock { s -> [CheckedContinuation<PubAck, any Error>]? in
      if s.result != nil { return nil }
      s.result = result
      // Usually nobody waits (results are read later, or through `value()` after the ack).
      if s.waiters.isEmpty { return [] }
      let taken = Array(s.waiters.values)
      s.waiters.removeAll()
      return taken
    }
    guard let waiters else { return false }
    for waiter in waiters { waiter.resume(with: result) }
    return true
  }
}
