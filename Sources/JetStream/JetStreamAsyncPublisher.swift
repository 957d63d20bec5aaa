import Logging
import NATS
import NATSWire
import NIOConcurrencyHelpers
import NIOCore

/// Publishes without waiting for each PubAck, with a bounded window of unacknowledged messages.
///
/// - `publish` returns a `JetStreamPubAckFuture` once the message is handed to the connection;
///   it waits (up to `windowTimeout`) while `maxPending` messages are unacknowledged, and once it
///   waits, until the window has drained by `maxPending / 8` (at most 256), so a publisher that
///   keeps the window full is resumed once per that many acks, not once per ack.
/// - All PubAcks arrive on ONE wildcard inbox subscription (`<inbox>.*`, the client's callback
///   subscription); the reply token routes each to its message.
/// - Every message carries a `Nats-Msg-Id` (a generated one when none is given). When the
///   connection comes back (`.reconnected`), every unacknowledged message is re-sent with the same
///   id and reply token, so the stream's duplicate window turns a message that did arrive into a
///   duplicate ack, and one that was lost is stored: nothing lost, nothing stored twice.
/// - Ack timeouts run only while connected and restart at every re-send. A 503 ack (no stream
///   leader for a moment) is retried `retryAttempts` times `retryWait` apart.
/// - `waitForAll(timeout:)` waits until the window is empty.
///
/// Timers and re-sends run in one supervisor task owned by the publisher (started in `init`,
/// ended by `close()`); nothing is started from the connection's event loop.
public final class JetStreamAsyncPublisher: Sendable {
  /// The default window: 4000 unacknowledged messages.
  public static let defaultMaxPending = 4000

  /// The JetStream context.
  public let context: JetStreamContext
  /// Maximum unacknowledged messages.
  public let maxPending: Int
  /// How long a message may wait for its PubAck (while connected) before its future fails.
  public let ackTimeout: Duration
  /// How long `publish` may wait for a free slot in the window.
  public let windowTimeout: Duration
  /// Extra attempts after a 503 ack.
  public let retryAttempts: Int
  /// Wait before such a retry.
  public let retryWait: Duration

  private let replyPrefix: String
  private let state: NIOLockedValueBox<State>
  /// Publishes waiting for a slot are resumed once at most this many are in use, not at the first
  /// free slot: a publisher that keeps the window full would otherwise suspend and resume once
  /// per message (a continuation, a cancellation record and an executor hop each time). With a
  /// gap it goes on without suspending for the next `maxPending / 8` (at most 256) messages.
  private let resumeAtOrBelow: Int
  private let tick: Duration

  /// One message awaiting its PubAck. A class, so the table moves a pointer instead of copying
  /// (and retaining every field of) a large value on each insert and removal; the `var`s are only
  /// touched under the state lock.
  private final class Entry: @unchecked Sendable {
    let subject: String
    let payload: [UInt8]
    let headers: NATSHeaders
    let future: JetStreamPubAckFuture
    var deadline: ContinuousClock.Instant
    var retriesLeft: Int
    var retryAt: ContinuousClock.Instant?

    init(
      subject: String, payload: [UInt8], headers: NATSHeaders, future: JetStreamPubAckFuture,
      deadline: ContinuousClock.Instant, retriesLeft: Int, retryAt: ContinuousClock.Instant?
    ) {
      self.subject = subject
      self.payload = payload
      self.headers = headers
      self.future = future
      self.deadline = deadline
      self.retriesLeft = retriesLeft
      self.retryAt = retryAt
    }
  }

  private struct SlotWaiter {
    var id: UInt64
    var continuation: CheckedContinuation<Void, any Error>
    var deadline: ContinuousClock.Instant
  }

  private struct DrainWaiter {
    var continuation: CheckedContinuation<Void, any Error>
    var deadline: ContinuousClock.Instant
  }

  private struct State {
    var entries: [UInt64: Entry] = [:]
    /// Slots held by publishes that have not inserted their entry yet.
    var reserved = 0
    var nextID: UInt64 = 0
    var slotWaiters = CircularBuffer<SlotWaiter>()
    var drainWaiters: [UInt64: DrainWaiter] = [:]
    var connected = true
    var closed = false
    var subscription: NATSSubscription?
    var supervisor: Task<Void, Never>?
    var resent = 0

    var inUse: Int { entries.count + reserved }
  }

  /// Things to do after the lock is released.
  private struct Wakeups {
    var slots: [CheckedContinuation<Void, any Error>] = []
    var drains: [CheckedContinuation<Void, any Error>] = []
    var failedSlots: [(CheckedContinuation<Void, any Error>, any Error)] = []
    var failedDrains: [(CheckedContinuation<Void, any Error>, any Error)] = []
    var failedFutures: [(JetStreamPubAckFuture, any Error)] = []

    func run() {
      for c in slots { c.resume() }
      for c in drains { c.resume() }
      for (c, e) in failedSlots { c.resume(throwing: e) }
      for (c, e) in failedDrains { c.resume(throwing: e) }
      for (f, e) in failedFutures { f.complete(.failure(e)) }
    }
  }

  /// Creates a publisher and subscribes to its ack inbox.
  public init(
    context: JetStreamContext, maxPending: Int = JetStreamAsyncPublisher.defaultMaxPending,
    ackTimeout: Duration = .seconds(5), windowTimeout: Duration = .seconds(30), retryAttempts: Int = 2,
    retryWait: Duration = .milliseconds(250)
  ) throws {
    guard maxPending > 0 else { throw JetStreamError(.invalidArgument, "maxPending must be positive") }
    guard ackTimeout > .zero else { throw JetStreamError(.invalidArgument, "ackTimeout must be positive") }
    self.context = context
    self.maxPending = maxPending
    self.ackTimeout = ackTimeout
    self.windowTimeout = windowTimeout
    self.retryAttempts = max(0, retryAttempts)
    self.retryWait = retryWait
    self.resumeAtOrBelow = maxPending - max(1, min(maxPending / 8, 256))
    self.replyPrefix = context.client.newInbox() + "."
    self.tick = min(max(ackTimeout / 20, .milliseconds(10)), .milliseconds(100))
    self.state = NIOLockedValueBox(State(connected: context.client.isConnected))
    let subscription = try context.client.subscribe(replyPrefix + "*") { [weak self] message in
      self?.handleAck(message)
    }
    let events = context.client.events()
    let tick = self.tick
    let supervisor = Task { [weak self] in
      await withTaskGroup(of: Void.self) { group in
        group.addTask { [weak self] in
          for await event in events {
            guard let self else { return }
            await self.connectionEvent(event)
          }
        }
        group.addTask { [weak self] in
          while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            guard let self else { return }
            await self.sweep(now: .now)
          }
        }
        await group.next()
        group.cancelAll()
      }
    }
    state.withLockedValue { s in
      s.subscription = subscription
      s.supervisor = supervisor
    }
  }

  deinit {
    let (subscription, supervisor) = state.withLockedValue { ($0.subscription, $0.supervisor) }
    supervisor?.cancel()
    try? subscription?.unsubscribe()
  }

  // MARK: public API

  /// Messages published and not yet acknowledged (or timed out).
  public var pendingCount: Int { state.withLockedValue { $0.inUse } }

  /// Messages re-sent after reconnects or 503 acks so far.
  public var resentCount: Int { state.withLockedValue { $0.resent } }

  /// Publishes without waiting for the PubAck; waits for a slot when the window is full.
  /// Throws when no slot frees up within `windowTimeout`, when the connection refuses the message
  /// (closed, reconnect buffer full, over max payload), or when the publisher is closed.
  public func publish<Bytes: Collection & Sendable>(
    _ subject: String, payload: Bytes, headers: NATSHeaders? = nil,
    options: JetStreamPublishOptions = JetStreamPublishOptions()
  ) async throws -> JetStreamPubAckFuture where Bytes.Element == UInt8 {
    var options = options
    let msgId = options.msgId ?? JetStreamNUID.next()
    options.msgId = msgId
    let allHeaders =
      options.applied(to: headers) ?? NATSHeaders([(JetStreamPublishOptions.Header.msgId, msgId)])
    let future = JetStreamPubAckFuture(msgId: msgId, subject: subject)
    let entry = Entry(
      subject: subject, payload: Array(payload), headers: allHeaders, future: future,
      deadline: .now + ackTimeout,
      retriesLeft: retryAttempts, retryAt: nil)
    // The common case, a free slot, takes the lock once: the slot and the entry together.
    let cancelled = Task.isCancelled
    let (grant, fastID) = state.withLockedValue { s -> (SlotGrant, UInt64) in
      let grant = tryTakeSlot(&s, cancelled: cancelled)
      guard case .granted = grant else { return (grant, 0) }
      s.nextID &+= 1
      s.entries[s.nextID] = entry
      return (grant, s.nextID)
    }
    let id: UInt64
    switch grant {
    case .granted: id = fastID
    case .failed(let error): throw error
    case .full:
      try await acquireSlot()
      let deadline = ContinuousClock.now + ackTimeout
      let (slowID, closed) = state.withLockedValue { s -> (UInt64, Bool) in
        s.reserved -= 1
        if s.closed { return (0, true) }
        s.nextID &+= 1
        entry.deadline = deadline
        s.entries[s.nextID] = entry
        return (s.nextID, false)
      }
      if closed {
        state.withLockedValue { s in self.releaseSlot(&s) }.run()
        throw JetStreamError(.closed, "async publisher closed")
      }
      id = slowID
    }
    do {
      // Without suspending when the connection has room (no async frame for the client's call).
      let replyTo = Self.replySubject(replyPrefix, id)
      if try !context.client.tryPublish(
        subject, payload: entry.payload, headers: allHeaders, replyTo: replyTo)
      {
        try await context.client.publish(
          subject, payload: entry.payload, headers: allHeaders, replyTo: replyTo)
      }
    } catch {
      var wakeups = state.withLockedValue { s -> Wakeups in
        guard s.entries.removeValue(forKey: id) != nil else { return Wakeups() }
        return self.releaseSlot(&s)
      }
      wakeups.failedFutures.append((future, error))
      wakeups.run()
      throw error
    }
    return future
  }

  /// Publishes a UTF-8 string without waiting for the PubAck.
  public func publish(
    _ subject: String, string: String, headers: NATSHeaders? = nil,
    options: JetStreamPublishOptions = JetStreamPublishOptions()
  ) async throws -> JetStreamPubAckFuture {
    try await publish(subject, payload: Array(string.utf8), headers: headers, options: options)
  }

  /// Waits until every published message is acknowledged or failed; throws
  /// `JetStreamError(.timeout)` when some are still pending after `timeout`.
  public func waitForAll(timeout: Duration) async throws {
    let id = state.withLockedValue { s -> UInt64 in
      s.nextID &+= 1
      return s.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        enum Immediate {
          case done
          case failed(any Error)
          case wait
        }
        let immediate = state.withLockedValue { s -> Immediate in
          if s.inUse == 0 { return .done }
          if s.closed { return .failed(JetStreamError(.closed, "async publisher closed")) }
          if Task.isCancelled { return .failed(CancellationError()) }
          s.drainWaiters[id] = DrainWaiter(continuation: continuation, deadline: .now + timeout)
          return .wait
        }
        switch immediate {
        case .done: continuation.resume()
        case .failed(let error): continuation.resume(throwing: error)
        case .wait: break
        }
      }
    } onCancel: {
      let waiter = state.withLockedValue { $0.drainWaiters.removeValue(forKey: id) }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Stops the supervisor, unsubscribes, and fails everything still pending with `.closed`.
  public func close() async {
    let (subscription, supervisor, wakeups) = state.withLockedValue {
      s -> (NATSSubscription?, Task<Void, Never>?, Wakeups) in
      s.closed = true
      let error = JetStreamError(.closed, "async publisher closed")
      var w = Wakeups()
      for entry in s.entries.values { w.failedFutures.append((entry.future, error)) }
      s.entries.removeAll()
      while let waiter = s.slotWaiters.popFirst() { w.failedSlots.append((waiter.continuation, error)) }
      for waiter in s.drainWaiters.values { w.failedDrains.append((waiter.continuation, error)) }
      s.drainWaiters.removeAll()
      let sub = s.subscription
      let task = s.supervisor
      s.subscription = nil
      s.supervisor = nil
      return (sub, task, w)
    }
    wakeups.run()
    supervisor?.cancel()
    try? subscription?.unsubscribe()
  }

  // MARK: window

  /// What a publish gets from the window, decided under the lock.
  private enum SlotGrant {
    case granted
    case failed(any Error)
    case full
  }

  /// Under the lock: whether a slot is free and nobody queued before us (nothing is taken).
  private func tryTakeSlot(_ s: inout State, cancelled: Bool) -> SlotGrant {
    if s.closed { return .failed(JetStreamError(.closed, "async publisher closed")) }
    if cancelled { return .failed(CancellationError()) }
    guard s.inUse < maxPending && s.slotWaiters.isEmpty else { return .full }
    return .granted
  }

  /// Under the lock: reserves a slot when one is free and nobody queued before us.
  private func tryReserveSlot(_ s: inout State, cancelled: Bool) -> SlotGrant {
    let grant = tryTakeSlot(&s, cancelled: cancelled)
    if case .granted = grant { s.reserved += 1 }
    return grant
  }

  private func acquireSlot() async throws {
    // The common case, a free slot, takes the lock once and does not suspend: no continuation,
    // no cancellation record, no executor hop.
    let cancelled = Task.isCancelled
    let (grant, id) = state.withLockedValue { s -> (SlotGrant, UInt64) in
      let grant = tryReserveSlot(&s, cancelled: cancelled)
      guard case .full = grant else { return (grant, 0) }
      s.nextID &+= 1
      return (grant, s.nextID)
    }
    switch grant {
    case .granted: return
    case .failed(let error): throw error
    case .full: break
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        // Slots may have freed up since the first look.
        let grant = state.withLockedValue { s -> SlotGrant in
          let grant = tryReserveSlot(&s, cancelled: Task.isCancelled)
          if case .full = grant {
            s.slotWaiters.append(
              SlotWaiter(id: id, continuation: continuation, deadline: .now + windowTimeout))
          }
          return grant
        }
        switch grant {
        case .granted: continuation.resume()
        case .failed(let error): continuation.resume(throwing: error)
        case .full: break
        }
      }
    } onCancel: {
      let waiter = state.withLockedValue { s -> SlotWaiter? in
        guard let index = s.slotWaiters.firstIndex(where: { $0.id == id }) else { return nil }
        return s.slotWaiters.remove(at: index)
      }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Called under the lock after an entry or reservation was removed: once the window has
  /// drained to `resumeAtOrBelow`, hands free slots to the waiters in order; resolves drain
  /// waiters when the window is empty.
  private func releaseSlot(_ s: inout State) -> Wakeups {
    var wakeups = Wakeups()
    if !s.slotWaiters.isEmpty && s.inUse <= resumeAtOrBelow {
      while s.inUse < maxPending, let waiter = s.slotWaiters.popFirst() {
        s.reserved += 1
        wakeups.slots.append(waiter.continuation)
      }
    }
    if s.inUse == 0 {
      for waiter in s.drainWaiters.values { wakeups.drains.append(waiter.continuation) }
      s.drainWaiters.removeAll()
    }
    return wakeups
  }

  // MARK: acks (event loop)

  private func handleAck(_ message: NATSMessage) {
    guard let id = Self.replyID(message.subject, prefix: replyPrefix) else { return }
    if message.status == NATSHeaders.Status.noResponders {
      let now = ContinuousClock.now
      let wakeups = state.withLockedValue { s -> Wakeups in
        guard let entry = s.entries[id] else { return Wakeups() }
        if entry.retriesLeft > 0 {
          entry.retriesLeft -= 1
          entry.retryAt = now + retryWait
          return Wakeups()
        }
        s.entries.removeValue(forKey: id)
        var w = self.releaseSlot(&s)
        w.failedFutures.append(
          (entry.future, JetStreamError(.noResponders, "no stream answered on '\(entry.subject)'")))
        return w
      }
      wakeups.run()
      return
    }
    let taken = state.withLockedValue { s -> (Entry, Wakeups)? in
      guard let entry = s.entries.removeValue(forKey: id) else { return nil }
      return (entry, self.releaseSlot(&s))
    }
    guard let (entry, wakeups) = taken else { return }
    let result: Result<PubAck, any Error>
    do {
      result = .success(try PubAck.decode(message.payload))
    } catch {
      result = .failure(error)
    }
    entry.future.complete(result)
    wakeups.run()
  }

  // MARK: supervisor

  private func connectionEvent(_ event: NATSConnectionEvent) async {
    switch event {
    case .disconnected:
      state.withLockedValue { $0.connected = false }
    case .reconnected:
      let now = ContinuousClock.now
      let resend = state.withLockedValue { s -> [(UInt64, Entry)] in
        s.connected = true
        for key in s.entries.keys {
          s.entries[key]?.deadline = now + ackTimeout
          s.entries[key]?.retryAt = nil
        }
        return s.entries.sorted { $0.key < $1.key }
      }
      if !resend.isEmpty {
        context.logger.info(
          "jetstream async publish: re-sending \(resend.count) unacknowledged messages after reconnect")
      }
      await self.resend(resend)
    case .closed:
      let wakeups = state.withLockedValue { s -> Wakeups in
        let error = JetStreamError(.closed, "connection closed")
        let failed = s.entries.values.map { ($0.future, error as any Error) }
        s.entries.removeAll()
        var w = self.releaseSlot(&s)
        w.failedFutures += failed
        return w
      }
      wakeups.run()
    default:
      break
    }
  }

  private func sweep(now: ContinuousClock.Instant) async {
    let (wakeups, resend) = state.withLockedValue { s -> (Wakeups, [(UInt64, Entry)]) in
      var w = Wakeups()
      var resend: [(UInt64, Entry)] = []
      if s.connected {
        var expired: [UInt64] = []
        for (key, entry) in s.entries {
          if let retryAt = entry.retryAt {
            if retryAt <= now {
              s.entries[key]?.retryAt = nil
              s.entries[key]?.deadline = now + ackTimeout
              resend.append((key, entry))
            }
          } else if entry.deadline <= now {
            expired.append(key)
          }
        }
        for key in expired {
          guard let entry = s.entries.removeValue(forKey: key) else { continue }
          w.failedFutures.append(
            (
              entry.future,
              JetStreamError(.timeout, "no PubAck for msg id \(entry.future.msgId) within \(ackTimeout)")
            ))
        }
        if !expired.isEmpty {
          let released = releaseSlot(&s)
          w.slots += released.slots
          w.drains += released.drains
        }
      }
      var remaining = CircularBuffer<SlotWaiter>()
      while let waiter = s.slotWaiters.popFirst() {
        if waiter.deadline <= now {
          w.failedSlots.append(
            (
              waiter.continuation,
              JetStreamError(.timeout, "no free slot in the publish window within \(windowTimeout)")
            ))
        } else {
          remaining.append(waiter)
        }
      }
      s.slotWaiters = remaining
      for (key, waiter) in s.drainWaiters where waiter.deadline <= now {
        s.drainWaiters.removeValue(forKey: key)
        w.failedDrains.append(
          (waiter.continuation, JetStreamError(.timeout, "\(s.inUse) messages still unacknowledged")))
      }
      return (w, resend.sorted { $0.0 < $1.0 })
    }
    wakeups.run()
    await self.resend(resend)
  }

  private func resend(_ entries: [(UInt64, Entry)]) async {
    for (id, entry) in entries {
      do {
        try await context.client.publish(
          entry.subject, payload: entry.payload, headers: entry.headers,
          replyTo: Self.replySubject(replyPrefix, id))
        state.withLockedValue { $0.resent += 1 }
      } catch {
        let wakeups = state.withLockedValue { s -> Wakeups in
          guard s.entries.removeValue(forKey: id) != nil else { return Wakeups() }
          var w = self.releaseSlot(&s)
          w.failedFutures.append((entry.future, error))
          return w
        }
        wakeups.run()
      }
    }
  }
}
