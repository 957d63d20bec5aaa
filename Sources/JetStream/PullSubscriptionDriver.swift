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
    var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    var nextWaiterID: UInt64 = 0
    var subscription: NATSSubscription?
    var eventsTask: Task<Void, Never>?
    var cleanedUp = false

    mutating func ring() -> [CheckedContinuation<Void, Never>] {
      generation &+= 1
      let taken = Array(waiters.values)
      waiters.removeAll()
      return taken
    }
  }

  enum Step {
    case message(NATSMessage)
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
    let (subscription, task) = state.withLockedValue { s in (s.subscription, s.eventsTask) }
    try? subscription?.unsubscribe()
    task?.cancel()
  }

  /// Subscribes to the inbox (and, for consume, to connection events) and sends the first pull.
  func start(observeConnection: Bool) async throws {
    let subscription = try client.subscribe(inbox) { [weak self] message in
      self?.received(message)
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

  private func received(_ message: NATSMessage) {
    let now = ContinuousClock.now
    let isStatus = message.status != nil && !(message.replyTo?.hasPrefix("$JS.ACK.") ?? false)
    let waiters = state.withLockedValue { s -> [CheckedContinuation<Void, Never>] in
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
    for waiter in waiters { waiter.resume() }
  }

  private func connectionEvent(_ event: NATSConnectionEvent) {
    let now = ContinuousClock.now
    let waiters = state.withLockedValue { s -> [CheckedContinuation<Void, Never>] in
      switch event {
      case .disconnected: s.machine.disconnected(now: now)
      case .reconnected: s.machine.reconnected(now: now)
      case .closed: s.machine.fail(.closed, "connection closed")
      default: return []
      }
      return s.ring()
    }
    for waiter in waiters { waiter.resume() }
  }

  // MARK: consumer side

  /// The next message, nil at the end; throws the terminal error.
  func next() async throws -> NATSMessage? {
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
          guard let message = s.buffer.popFirst() else {
            // Counts and buffer disagree: trust the buffer.
            while s.machine.bufferedMessages > 0 { s.machine.messageConsumed() }
            return .wait(until: now, generation: s.generation)
          }
          s.machine.messageConsumed()
          return .message(message)
        case .pull(let request): return .pull(request)
        case .wait(let until): return .wait(until: until, generation: s.generation)
        case .finish(let completion): return .finish(completion)
        }
      }
      switch step {
      case .message(let message):
        return message
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
        return nil
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
      s -> (NATSSubscription?, [CheckedContinuation<Void, Never>]) in
      s.machine.stop()
      let sub = s.subscription
      s.subscription = nil
      return (sub, s.ring())
    }
    try? subscription?.unsubscribe()
    for waiter in waiters { waiter.resume() }
  }

  var statistics: PullConsumerStateMachine.Statistics { state.withLockedValue { $0.machine.statistics } }

  private func cleanUp() {
    let (subscription, task, waiters) = state.withLockedValue {
      s -> (NATSSubscription?, Task<Void, Never>?, [CheckedContinuation<Void, Never>]) in
      s.cleanedUp = true
      let sub = s.subscription
      let task = s.eventsTask
      s.subscription = nil
      s.eventsTask = nil
      return (sub, task, s.ring())
    }
    try? subscription?.unsubscribe()
    task?.cancel()
    for waiter in waiters { waiter.resume() }
  }

  // MARK: waiting

  /// Returns when an event arrived since `generation`, the deadline passed, or the task is cancelled.
  private func waitForChange(since generation: UInt64, until deadline: ContinuousClock.Instant) async {
    guard deadline > .now else { return }
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.park(since: generation) }
      group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
      await group.next()
      group.cancelAll()
    }
  }

  private func park(since generation: UInt64) async {
    let id = state.withLockedValue { s -> UInt64 in
      s.nextWaiterID &+= 1
      return s.nextWaiterID
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLockedValue { s -> Bool in
          if s.generation != generation || s.cleanedUp || Task.isCancelled { return true }
          s.waiters[id] = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
      waiter?.resume()
    }
  }
}
