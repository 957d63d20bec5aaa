import NIOConcurrencyHelpers
import NIOCore

/// Request/reply over one shared wildcard inbox subscription (`<prefix>*`, where `prefix` is
/// `<inboxPrefix>.<nuid>.`, a namespace no ``NATSClient/newInbox()`` falls into): each request gets a
/// token and a slot; the reply is routed to the slot. A slot is completed exactly once: whoever
/// completes it first (reply, timeout, cancellation, close) wins, later completions are ignored.
///
/// No per-request timer: one sweeper on the event loop (every `sweepInterval`, only while requests
/// are pending) fails the slots whose deadline passed. A request therefore times out between its
/// timeout and its timeout plus `sweepInterval`; in exchange a request costs no timer scheduling
/// and cancelling across threads (measured: the largest cost of a sync JetStream publish after
/// the round trip itself).
final class NATSRequestMux: Sendable {
  let prefix: String
  private let eventLoop: any EventLoop
  private let state = NIOLockedValueBox(State())
  /// How often expired requests are looked for.
  static let sweepInterval: TimeAmount = .milliseconds(25)

  private struct Slot {
    var deadline: NIODeadline
    /// For the timeout error, built only when the request times out.
    var subject: String
    var timeout: Duration
    var continuation: CheckedContinuation<NATSMessage, any Error>?
    var result: Result<NATSMessage, any Error>?
  }

  private struct State {
    var pending: [Substring: Slot] = [:]
    var counter: UInt64 = 0
    var subscribed = false
    var sweeper: RepeatedTask?
  }

  init(prefix: String, eventLoop: any EventLoop) {
    self.prefix = prefix
    self.eventLoop = eventLoop
  }

  /// True exactly once (until `subscriptionFailed`): the caller must create the subscription.
  func needsSubscription() -> Bool {
    state.withLockedValue { s in
      if s.subscribed { return false }
      s.subscribed = true
      return true
    }
  }

  func subscriptionFailed() { state.withLockedValue { $0.subscribed = false } }

  /// A new token and its reply subject, with a slot that fails with `.timeout` after `timeout`.
  func register(subject: String, timeout: Duration) -> (token: String, replyTo: String) {
    let deadline = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
    let (token, startSweeper) = state.withLockedValue { s -> (String, Bool) in
      s.counter += 1
      let token = String(s.counter, radix: 36)
      s.pending[Substring(token)] = Slot(deadline: deadline, subject: subject, timeout: timeout)
      return (token, s.sweeper == nil)
    }
    if startSweeper { self.startSweeper() }
    return (token, prefix + token)
  }

  /// Waits for the slot's result (which may already be there).
  func wait(token: String) async throws -> NATSMessage {
    let key = Substring(token)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<NATSMessage, any Error>) in
        let ready = state.withLockedValue { s -> Result<NATSMessage, any Error>? in
          guard var slot = s.pending[key] else {
            return .failure(NATSError(.connectionClosed, "request \(token) is no longer pending"))
          }
          if let result = slot.result {
            s.pending.removeValue(forKey: key)
            return result
          }
          if Task.isCancelled {
            s.pending.removeValue(forKey: key)
            return .failure(CancellationError())
          }
          slot.continuation = continuation
          s.pending[key] = slot
          return nil
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      complete(key, .failure(CancellationError()))
    }
  }

  func deliver(_ message: NATSMessage) {
    guard message.subject.hasPrefix(prefix) else { return }
    complete(message.subject.dropFirst(prefix.count), .success(message))
  }

  func fail(token: String, _ error: any Error) {
    complete(Substring(token), .failure(error))
  }

  /// Completes a slot once: resumes its waiter, or keeps the result for `wait`.
  private func complete(_ key: Substring, _ result: Result<NATSMessage, any Error>) {
    let waiter = state.withLockedValue { s -> CheckedContinuation<NATSMessage, any Error>? in
      guard var slot = s.pending[key], slot.result == nil else { return nil }
      if let continuation = slot.continuation {
        s.pending.removeValue(forKey: key)
        return continuation
      }
      slot.result = result
      s.pending[key] = slot
      return nil
    }
    waiter?.resume(with: result)
  }

  func failAll(_ error: any Error) {
    let waiters = state.withLockedValue { s -> [CheckedContinuation<NATSMessage, any Error>] in
      var waiters: [CheckedContinuation<NATSMessage, any Error>] = []
      for (key, var slot) in s.pending where slot.result == nil {
        if let continuation = slot.continuation {
          waiters.append(continuation)
          s.pending.removeValue(forKey: key)
        } else {
          slot.result = .failure(error)
          s.pending[key] = slot
        }
      }
      s.subscribed = false
      return waiters
    }
    for waiter in waiters { waiter.resume(throwing: error) }
  }

  // MARK: sweeping

  private func startSweeper() {
    let task = eventLoop.scheduleRepeatedTask(initialDelay: Self.sweepInterval, delay: Self.sweepInterval) {
      [weak self] task in
      guard let self else {
        task.cancel()
        return
      }
      self.sweep(task)
    }
    let duplicate = state.withLockedValue { s -> Bool in
      if s.sweeper != nil { return true }
      s.sweeper = task
      return false
    }
    if duplicate { task.cancel() }
  }

  /// Fails the expired slots; stops when nothing is pending (`register` starts it again).
  private func sweep(_ task: RepeatedTask) {
    let now = NIODeadline.now()
    let expired = state.withLockedValue { s -> [(Substring, NATSError)] in
      let expired = s.pending.filter { $0.value.result == nil && $0.value.deadline <= now }.map {
        ($0.key, NATSError(.timeout, "no reply on '\($0.value.subject)' within \($0.value.timeout)"))
      }
      if s.pending.isEmpty, s.sweeper === task {
        s.sweeper = nil
        task.cancel()
      }
      return expired
    }
    for (key, error) in expired { complete(key, .failure(error)) }
  }
}

/// Unique ids for inboxes: 12 random base62 characters plus a base62 counter, like nats.go's NUID.
enum NATSNUID {
  private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
  private static let state = NIOLockedValueBox(
    (prefix: randomPrefix(), counter: UInt64.random(in: 0..<1_000_000)))

  private static func randomPrefix() -> [UInt8] {
    (0..<12).map { _ in alphabet[Int.random(in: 0..<62)] }
  }

  static func next() -> String {
    let (prefix, n) = state.withLockedValue { s -> ([UInt8], UInt64) in
      s.counter += 1
      if s.counter > 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 {
        s.prefix = randomPrefix()
        s.counter = 1
      }
      return (s.prefix, s.counter)
    }
    var bytes = prefix
    var value = n
    var suffix: [UInt8] = []
    repeat {
      suffix.append(alphabet[Int(value % 62)])
      value /= 62
    } while value > 0
    bytes.append(contentsOf: suffix.reversed())
    return String(decoding: bytes, as: UTF8.self)
  }
}
