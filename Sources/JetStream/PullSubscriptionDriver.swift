import Logging
import NATS
import NATSWire
import NIOConcurrencyHelpers
import NIOCore

/// Runs a `PullConsumerStateMachine` against a real connection: one callback subscription on a
/// private inbox feeds messages and status into the machine (under a lock, on the event loop, no
/// tasks started there), and the consumer's own `next()` executes the machine's actions —
/// sending pull requests, handing out buffered messages, or waiting with a deadline. Pulls are
/// therefore only sent while someone iterates: a slow handler stops the pulls.
final class PullSubscriptionDriver: Sendable {
  let client: NATSClient
  let nextSubject: String
  let inbox: String
  let logger: Logger
  private let state: NIOLockedValueBox<State>

  struct State {
    var machine: PullConsumerStateMachine
    var buffer = CircularBuffer<NATSMessage>(initialCapacity: 64)
    /// Bumped by every event; a waiter that saw an older value does not park.
    var generation: UInt64 = 0
    var waiters: [UInt64: Waiter] = [:]
    var nextWaiterID: UInt64 = 0
    var subscription: NATSSubscription?
    var eventsTask: Task<Void, Never>?
    var cleanedUp = false

    mutating func ring() -> [Waiter] {
      generation &+= 1
      if waiters.isEmpty { return [] }
      let taken = Array(waiters.values)
      waiters.removeAll()
      return taken
    }
  }

  /// A parked `next` call and the timer that ends its wait at the deadline.
  struct Waiter {
    var continuation: CheckedContinuation<Void, Never>
    var timer: Scheduled<Void>?

    func wake() {
      timer?.cancel()
      continuation.resume()
    }
  }

  enum Step {
    case messages([NATSMessage])
    case pull(PullConsumerStateMachine.PullRequest)
    case wait(until: ContinuousClock.Instant, generation: UInt64)
    case finish(PullConsumerStateMachine.Completion)
  }

  init(
    client: NATSClient, nextSubject: String, configuration: PullConsumerStateMachine.Configuration,
    logger: Logger
  ) {
    self.client = client
    self.nextSubject = nextSubject
    self.inbox = client.newInbox()
    self.logger = logger
    let machine = PullConsumerStateMachine(
      configuration: configuration, now: .now, connected: client.isConnected)
    self.state = NIOLockedValueBox(State(machine: machine))
  }

  deinit {
    // The subscription's callback holds `state` (not the driver): cleaning up drops the
    // subscription, which ends that cycle.
    cleanUp()
  }

  /// Subscribes to the inbox (and, for consume, to connection events) and sends the first pull.
  func start(observeConnection: Bool) async throws {
    // The callback captures the state box, not `self`: a weak reference to the driver would put
    // every retain and release of it on the slow side-table path, once per message.
    let subscription = try client.subscribe(inbox) { [state] message in
      Self.received(message, state: state)
    }
    var task: Task<Void, Never>?
    if observeConnection {
      let events = client.events()
      task = Task { [weak self] in
        for await event in events {
          guard let self else { return }
          self.connectionEvent(event)
        }
      }
    }
    state.withLockedValue { s in
      s.subscription = subscription
      s.eventsTask = task
    }
    try await sendDuePulls()
  }

  /// Sends pull requests until the machine wants something else (used to prime the sequence).
  private func sendDuePulls() async throws {
    while true {
      let now = ContinuousClock.now
      let request = state.withLockedValue { s -> PullConsumerStateMachine.PullRequest? in
        if case .pull(let request) = s.machine.nextAction(now: now) { return request }
        return nil
      }
      guard let request else { return }
      try await send(request)
    }
  }

  // MARK: inbound (event loop)

  private static func received(_ message: NATSMessage, state: NIOLockedValueBox<State>) {
    let now = ContinuousClock.now
    let isStatus = message.status != nil && !(message.replyTo?.hasPrefix("$JS.ACK.") ?? false)
    let waiters = state.withLockedValue { s -> [Waiter] in
      if s.cleanedUp { return [] }
      if isStatus, let status = message.status {
        let headers = message.headers
        s.machine.statusReceived(
          code: status, description: message.statusDescription,
          pendingMessages: headers?[NATSHeaders.Name.pendingMessages].flatMap { Int($0) },
          pendingBytes: headers?[NATSHeaders.Name.pendingBytes].flatMap { Int($0) }, now: now)
      } else {
        let size = message.subject.utf8.count + (message.replyTo?.utf8.count ?? 0) + message.wireSize
        s.machine.messageReceived(bytes: size, now: now)
        s.buffer.append(message)
      }
      return s.ring()
    }
    for waiter in waiters { waiter.wake() }
  }

  private func connectionEvent(_ event: NATSConnectionEvent) {
    let now = ContinuousClock.now
    let waiters = state.withLockedValue { s -> [Waiter] in
      switch event {
      case .disconnected: s.machine.disconnected(now: now)
      case .reconnected: s.machine.reconnected(now: now)
      case .closed: s.machine.fail(.closed, "connection closed")
      default: return []
      }
      return s.ring()
    }
    for waiter in waiters { waiter.wake() }
  }

  // MARK: consumer side

  /// The next message, nil at the end; throws the terminal error.
  func next() async throws -> NATSMessage? {
    try await next(max: 1).first
  }

  /// Between one and `max` messages that are already buffered (waiting for the first one if none
  /// is); empty at the end; throws the terminal error after the buffered messages. Handing out a
  /// batch costs one lock round instead of one per message.
  func next(max: Int) async throws -> [NATSMessage] {
    let limit = Swift.max(max, 1)
    while true {
      if Task.isCancelled {
        stop()
        cleanUp()
        throw CancellationError()
      }
      let now = ContinuousClock.now
      let step = state.withLockedValue { s -> Step in
        switch s.machine.nextAction(now: now) {
        case .deliver:
          guard !s.buffer.isEmpty else {
            // Counts and buffer disagree: trust the buffer.
            while s.machine.bufferedMessages > 0 { s.machine.messageConsumed() }
            return .wait(until: now, generation: s.generation)
          }
          var taken: [NATSMessage] = []
          taken.reserveCapacity(Swift.min(limit, s.buffer.count))
          while taken.count < limit, let message = s.buffer.popFirst() {
            s.machine.messageConsumed()
            taken.append(message)
          }
          return .messages(taken)
        case .pull(let request): return .pull(request)
        case .wait(let until): return .wait(until: until, generation: s.generation)
        case .finish(let completion): return .finish(completion)
        }
      }
      switch step {
      case .messages(let messages):
        return messages
      case .pull(let request):
        do {
          try await send(request)
        } catch {
          logger.debug("jetstream pull on \(nextSubject) failed to send: \(error)")
          let closed = client.isClosed
          state.withLockedValue { s in
            if closed {
              s.machine.fail(.closed, "connection closed")
            } else {
              s.machine.pullFailed(request, reason: "\(error)", now: .now)
            }
          }
        }
      case .wait(let until, let generation):
        await waitForChange(since: generation, until: until)
      case .finish(let completion):
        cleanUp()
        if let error = completion.error { throw error }
        return []
      }
    }
  }

  private func send(_ request: PullConsumerStateMachine.PullRequest) async throws {
    let body = try JetStreamJSON.encode(request)
    try await client.publish(nextSubject, payload: body, replyTo: inbox)
  }

  /// Ends pulling: buffered messages are still returned, then the sequence ends.
  func stop() {
    let (subscription, waiters) = state.withLockedValue {
      s -> (NATSSubscription?, [Waiter]) in
      s.machine.stop()
      let sub = s.subscription
      s.subscription = nil
      return (sub, s.ring())
    }
    try? subscription?.unsubscribe()
    for waiter in waiters { waiter.wake() }
  }

  var statistics: PullConsumerStateMachine.Statistics { state.withLockedValue { $0.machine.statistics } }

  private func cleanUp() {
    let (subscription, task, waiters) = state.withLockedValue {
      s -> (NATSSubscription?, Task<Void, Never>?, [Waiter]) in
      s.cleanedUp = true
      let sub = s.subscription
      let task = s.eventsTask
      s.subscription = nil
      s.eventsTask = nil
      return (sub, task, s.ring())
    }
    try? subscription?.unsubscribe()
    task?.cancel()
    for waiter in waiters { waiter.wake() }
  }

  // MARK: waiting

  /// Returns when an event arrived since `generation`, the deadline passed, or the task is cancelled.
  /// One continuation and one event-loop timer per wait (no child tasks): the timer is cancelled
  /// by whichever event wakes the waiter first.
  private func waitForChange(since generation: UInt64, until deadline: ContinuousClock.Instant) async {
    let delay = deadline - .now
    guard delay > .zero else { return }
    let id = state.withLockedValue { s -> UInt64 in
      s.nextWaiterID &+= 1
      return s.nextWaiterID
    }
    let nanoseconds = delay.jetStreamNanoseconds
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let parked = state.withLockedValue { s -> Bool in
          if s.generation != generation || s.cleanedUp || Task.isCancelled { return false }
          s.waiters[id] = Waiter(continuation: continuation, timer: nil)
          return true
        }
        guard parked else {
          continuation.resume()
          return
        }
        let timer = client.eventLoop.scheduleTask(in: .nanoseconds(max(nanoseconds, 1))) {
          [weak self] () -> Void in
          guard let self else { return }
          self.expire(id)
        }
        let stillParked = state.withLockedValue { s -> Bool in
          guard s.waiters[id] != nil else { return false }
          s.waiters[id]?.timer = timer
          return true
        }
        if !stillParked { timer.cancel() }
      }
    } onCancel: {
      expire(id)
    }
  }

  /// Wakes the waiter `id` if it is still parked (deadline or cancellation).
  private func expire(_ id: UInt64) {
    let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
    waiter?.wake()
  }
}
