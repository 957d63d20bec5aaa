/// The bookkeeping of one pull subscription (a single `fetch` or a continuous `consume`), as a
/// pure value: events in, the next action out, time passed in by the caller (an injected clock).
///
/// It follows ADR-13 pull requests and the "simplified consume" behaviour of nats.go:
/// - `pendingMessages` / `pendingBytes` count what was requested and not yet received; a message
///   lowers them, so do the `Nats-Pending-Messages` / `Nats-Pending-Bytes` headers of a 408 or
///   409 status (what an expired or cut-short request will no longer deliver).
/// - consume refills when requested-but-unconsumed messages (pending + buffered) drop below half
///   the batch, asking for the difference; buffered messages count, so a slow handler stops pulls.
/// - an idle heartbeat (status 100), message or status proves the requests are alive; 2× the
///   heartbeat without any of them while requests are pending means they are lost: pending is
///   reset and consume re-pulls (a fetch fails with `.noHeartbeat`). The check is paused while
///   the connection is down; a reconnect resets pending and re-pulls.
/// - 408, 409 Leadership Change, 409 Exceeded MaxWaiting, 409 Server Shutdown: consume goes on
///   (re-pull, after `retryDelay` for the last two); 409 Consumer Deleted / Consumer is push based /
///   Bad Request end it with an error. A fetch ends at batch complete, 404, 408, or its deadline.
/// Buffered messages are always handed out before the sequence ends.
public struct PullConsumerStateMachine: Sendable {
  /// The clock's instant type.
  public typealias Instant = ContinuousClock.Instant

  /// Fetch (one request) or consume (continuous).
  public enum Mode: Sendable, Hashable {
    /// One pull request; the sequence ends with it.
    case fetch
    /// Keep pulling until stopped or a terminal error.
    case consume
  }

  /// Pull parameters.
  public struct Configuration: Sendable, Hashable {
    /// Fetch or consume.
    public var mode: Mode
    /// Messages per request (fetch) or the buffer size to keep filled (consume).
    public var batch: Int
    /// Byte budget per request, if any.
    public var maxBytes: Int?
    /// How long the server keeps a request open.
    public var expires: Duration
    /// Idle heartbeat the server sends while a request waits (nil = none).
    public var heartbeat: Duration?
    /// Fetch only: answer at once (404 when empty) instead of waiting.
    public var noWait: Bool
    /// Consume: pause before re-pulling after Exceeded MaxWaiting / Server Shutdown / no responders.
    public var retryDelay: Duration
    /// Consume: consecutive 503 answers tolerated (a consumer without leader) before giving up.
    public var maxNoResponders: Int
    /// Fetch: extra time after `expires` before the client gives up on the server's 408.
    public var fetchGrace: Duration

    /// Creates a configuration.
    public init(
      mode: Mode, batch: Int, maxBytes: Int? = nil, expires: Duration = .seconds(30),
      heartbeat: Duration? = nil,
      noWait: Bool = false, retryDelay: Duration = .milliseconds(500), maxNoResponders: Int = 10,
      fetchGrace: Duration = .seconds(1)
    ) {
      self.mode = mode
      self.batch = max(batch, 1)
      self.maxBytes = maxBytes.flatMap { $0 > 0 ? $0 : nil }
      self.expires = expires
      self.heartbeat = heartbeat.flatMap { $0 > .zero ? $0 : nil }
      self.noWait = noWait
      self.retryDelay = retryDelay
      self.maxNoResponders = maxNoResponders
      self.fetchGrace = fetchGrace
    }

    /// Consume refills below this many requested-but-unconsumed messages (half the batch, ≥ 1).
    public var thresholdMessages: Int { max(1, (batch + 1) / 2) }
  }

  /// The body of one `CONSUMER.MSG.NEXT` request (ADR-13).
  public struct PullRequest: Sendable, Hashable, Encodable {
    /// Messages requested.
    public var batch: Int
    /// Byte budget.
    public var maxBytes: Int?
    /// Server-side lifetime (absent for no-wait).
    public var expires: Duration?
    /// Answer at once.
    public var noWait: Bool
    /// Idle heartbeat interval.
    public var heartbeat: Duration?

    /// Creates a request.
    public init(
      batch: Int, maxBytes: Int? = nil, expires: Duration? = nil, noWait: Bool = false,
      heartbeat: Duration? = nil
    ) {
      self.batch = batch
      self.maxBytes = maxBytes
      self.expires = expires
      self.noWait = noWait
      self.heartbeat = heartbeat
    }

    enum CodingKeys: String, CodingKey {
      case batch
      case maxBytes = "max_bytes"
      case expires
      case noWait = "no_wait"
      case heartbeat = "idle_heartbeat"
    }

    /// Encodes durations as nanoseconds and omits absent / false fields.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(batch, forKey: .batch)
      try c.encodeIfPresent(maxBytes, forKey: .maxBytes)
      try c.encodeIfPresent(expires?.jetStreamNanoseconds, forKey: .expires)
      if noWait { try c.encode(true, forKey: .noWait) }
      try c.encodeIfPresent(heartbeat?.jetStreamNanoseconds, forKey: .heartbeat)
    }
  }

  /// Why the sequence ended.
  public enum Completion: Sendable, Hashable {
    /// Fetch received its batch (or byte budget).
    case batchComplete
    /// 404 No Messages (no-wait fetch on an empty consumer).
    case noMessages
    /// 408 Request Timeout, or the fetch deadline passed.
    case expired
    /// A fetch cut short by the server (leadership change, server shutdown, max bytes).
    case interrupted
    /// `stop()` was called.
    case stopped
    /// A terminal error.
    case failed(JetStreamError.Code, String)

    /// The error to throw, if the completion is a failure.
    public var error: JetStreamError? {
      if case .failed(let code, let message) = self { return JetStreamError(code, message) }
      return nil
    }
  }

  /// What the driver should do next.
  public enum Action: Sendable, Hashable {
    /// Hand out the oldest buffered message (then call `messageConsumed()`).
    case deliver
    /// Send this pull request (already counted as pending; call `pullFailed` if sending fails).
    case pull(PullRequest)
    /// Nothing to do until an event arrives or the deadline passes.
    case wait(until: Instant)
    /// The sequence is over.
    case finish(Completion)
  }

  /// Counters for observability.
  public struct Statistics: Sendable, Hashable {
    /// Messages requested and not yet received.
    public var pendingMessages = 0
    /// Bytes requested and not yet received (with a byte budget).
    public var pendingBytes = 0
    /// Messages received and not yet handed out.
    public var bufferedMessages = 0
    /// Messages received in total.
    public var receivedMessages = 0
    /// Pull requests sent.
    public var pullRequests = 0
    /// Heartbeat timeouts.
    public var missedHeartbeats = 0
    /// Reconnects seen.
    public var reconnects = 0
    /// Status messages (408/409/…) seen, heartbeats excluded.
    public var statusMessages = 0
    /// `Nats-Pending-Messages` of the last status that carried it.
    public var lastReportedPendingMessages: Int?
    /// `Nats-Pending-Bytes` of the last status that carried it.
    public var lastReportedPendingBytes: Int?
  }

  /// The configuration.
  public let configuration: Configuration
  /// Counters (pending, buffered, …).
  public private(set) var statistics = Statistics()
  /// How the sequence ended, once it did.
  public private(set) var completion: Completion?

  private var connected: Bool
  private var started = false
  private var stopping = false
  private var receivedBytes = 0
  private var lastActivity: Instant
  private var fetchDeadline: Instant?
  private var pausedUntil: Instant?
  private var consecutiveNoResponders = 0

  /// Creates the machine; `connected` is the connection's state at creation.
  public init(configuration: Configuration, now: Instant, connected: Bool = true) {
    self.configuration = configuration
    self.lastActivity = now
    self.connected = connected
  }

  /// Messages requested and not yet received.
  public var pendingMessages: Int { statistics.pendingMessages }
  /// Bytes requested and not yet received.
  public var pendingBytes: Int { statistics.pendingBytes }
  /// Messages buffered for the consumer.
  public var bufferedMessages: Int { statistics.bufferedMessages }
  /// Whether the sequence has ended (buffered messages may remain to hand out).
  public var isFinished: Bool { completion != nil }

  // MARK: events

  /// A message arrived (`bytes` = its size as the server counts it for `max_bytes`).
  public mutating func messageReceived(bytes: Int, now: Instant) {
    statistics.pendingMessages = max(0, statistics.pendingMessages - 1)
    statistics.pendingBytes = max(0, statistics.pendingBytes - bytes)
    statistics.bufferedMessages += 1
    statistics.receivedMessages += 1
    receivedBytes += bytes
    consecutiveNoResponders = 0
    lastActivity = now
  }

  /// The consumer took a buffered message.
  public mutating func messageConsumed() {
    statistics.bufferedMessages = max(0, statistics.bufferedMessages - 1)
  }

  /// A status message arrived on the inbox (100 heartbeat, 404, 408, 409, 503, …) with the
  /// `Nats-Pending-Messages` / `Nats-Pending-Bytes` headers when it had them.
  public mutating func statusReceived(
    code: Int, description: String?, pendingMessages: Int? = nil, pendingBytes: Int? = nil, now: Instant
  ) {
    lastActivity = now
    if code == 100 { return }
    statistics.statusMessages += 1
    if let pendingMessages { statistics.lastReportedPendingMessages = pendingMessages }
    if let pendingBytes { statistics.lastReportedPendingBytes = pendingBytes }
    let text = (description ?? "").lowercased()
    let isFetch = configuration.mode == .fetch
    switch code {
    case 404:
      if isFetch {
        finish(.noMessages)
      } else {
        subtractPending(messages: pendingMessages, bytes: pendingBytes, resetIfUnknown: false)
      }
    case 408:
      if isFetch {
        finish(.expired)
      } else {
        subtractPending(messages: pendingMessages, bytes: pendingBytes, resetIfUnknown: true)
      }
    case 409:
      if text.contains("consumer deleted") {
        finish(.failed(.consumerDeleted, "consumer deleted (409 \(description ?? ""))"))
      } else if text.contains("push based") {
        finish(.failed(.consumerIsPushBased, "consumer is push based (409)"))
      } else if text.contains("message size exceeds maxbytes") {
        if isFetch {
          finish(.interrupted)
        } else {
          subtractPending(messages: pendingMessages, bytes: pendingBytes, resetIfUnknown: true)
        }
      } else if text.contains("leadership change") {
        if isFetch { finish(.interrupted) } else { resetPending() }
      } else if text.contains("exceeded maxwaiting") {
        if isFetch {
          finish(.failed(.maxWaitingExceeded, "pull request refused: 409 \(description ?? "")"))
        } else {
          resetPending()
          pausedUntil = now + configuration.retryDelay
        }
      } else if text.contains("exceeded maxrequest") || text.contains("bad request") {
        finish(.failed(.badPullRequest, "pull request rejected: 409 \(description ?? "")"))
      } else if text.contains("server shutdown") {
        if isFetch {
          finish(.interrupted)
        } else {
          resetPending()
          pausedUntil = now + configuration.retryDelay
        }
      } else {
        unexpected(code: code, description: description, now: now)
      }
    case 400:
      finish(.failed(.badPullRequest, "pull request rejected: 400 \(description ?? "")"))
    case 503:
      if isFetch {
        finish(.failed(.noResponders, "no responders for the pull request (consumer missing?)"))
      } else {
        consecutiveNoResponders += 1
        if consecutiveNoResponders > configuration.maxNoResponders {
          finish(
            .failed(
              .noResponders, "no responders for \(consecutiveNoResponders) pull requests (consumer missing?)")
          )
        } else {
          resetPending()
          pausedUntil = now + configuration.retryDelay
        }
      }
    default:
      unexpected(code: code, description: description, now: now)
    }
  }

  /// The connection dropped: heartbeat checks and pulls pause.
  public mutating func disconnected(now: Instant) {
    connected = false
  }

  /// The connection is back: outstanding requests are presumed lost; consume re-pulls.
  public mutating func reconnected(now: Instant) {
    connected = true
    statistics.reconnects += 1
    lastActivity = now
    if configuration.mode == .consume {
      resetPending()
      pausedUntil = nil
    }
  }

  /// Sending a pull request failed; consume tries again after `retryDelay`, fetch fails.
  public mutating func pullFailed(_ request: PullRequest, reason: String, now: Instant) {
    statistics.pendingMessages = max(0, statistics.pendingMessages - request.batch)
    if let bytes = request.maxBytes { statistics.pendingBytes = max(0, statistics.pendingBytes - bytes) }
    if configuration.mode == .fetch {
      finish(.failed(.closed, "could not send the pull request: \(reason)"))
    } else {
      pausedUntil = now + configuration.retryDelay
    }
  }

  /// No more pulls; buffered messages are still handed out, then the sequence ends.
  public mutating func stop() {
    stopping = true
  }

  /// Ends the sequence with an error (connection closed, subscription failed).
  public mutating func fail(_ code: JetStreamError.Code, _ message: String) {
    finish(.failed(code, message))
  }

  // MARK: next action

  /// What to do now. Call it after every event and whenever a `wait` deadline passes.
  public mutating func nextAction(now: Instant) -> Action {
    switch configuration.mode {
    case .fetch: return nextFetchAction(now: now)
    case .consume: return nextConsumeAction(now: now)
    }
  }

  private mutating func nextFetchAction(now: Instant) -> Action {
    if statistics.bufferedMessages > 0 { return .deliver }
    if let completion { return .finish(completion) }
    if stopping {
      finish(.stopped)
      return .finish(.stopped)
    }
    if !started {
      started = true
      let request = PullRequest(
        batch: configuration.batch, maxBytes: configuration.maxBytes,
        expires: configuration.noWait ? nil : configuration.expires, noWait: configuration.noWait,
        heartbeat: configuration.noWait ? nil : configuration.heartbeat)
      fetchDeadline = now + (configuration.noWait ? .zero : configuration.expires) + configuration.fetchGrace
      recordPull(request, now: now)
      return .pull(request)
    }
    if statistics.receivedMessages >= configuration.batch {
      finish(.batchComplete)
      return .finish(.batchComplete)
    }
    if let maxBytes = configuration.maxBytes, receivedBytes >= maxBytes {
      finish(.batchComplete)
      return .finish(.batchComplete)
    }
    var deadline = fetchDeadline ?? now
    if now >= deadline {
      finish(.expired)
      return .finish(.expired)
    }
    if let heartbeat = configuration.heartbeat, connected {
      let hbDeadline = lastActivity + heartbeat * 2
      if now >= hbDeadline {
        statistics.missedHeartbeats += 1
        let completion = Completion.failed(.noHeartbeat, "no idle heartbeat for \(heartbeat * 2)")
        finish(completion)
        return .finish(completion)
      }
      deadline = min(deadline, hbDeadline)
    }
    return .wait(until: deadline)
  }

  private mutating func nextConsumeAction(now: Instant) -> Action {
    if let completion {
      return statistics.bufferedMessages > 0 ? .deliver : .finish(completion)
    }
    if stopping {
      if statistics.bufferedMessages > 0 { return .deliver }
      finish(.stopped)
      return .finish(.stopped)
    }
    started = true
    guard connected else {
      if statistics.bufferedMessages > 0 { return .deliver }
      return .wait(until: now + recheckInterval)
    }
    if let heartbeat = configuration.heartbeat, hasOutstandingRequests, now >= lastActivity + heartbeat * 2 {
      statistics.missedHeartbeats += 1
      resetPending()
    }
    if let pausedUntil {
      if now < pausedUntil {
        return statistics.bufferedMessages > 0 ? .deliver : .wait(until: pausedUntil)
      }
      self.pausedUntil = nil
    }
    if let request = refillRequest() {
      recordPull(request, now: now)
      return .pull(request)
    }
    if statistics.bufferedMessages > 0 { return .deliver }
    if let heartbeat = configuration.heartbeat, hasOutstandingRequests {
      return .wait(until: lastActivity + heartbeat * 2)
    }
    return .wait(until: now + recheckInterval)
  }

  // MARK: helpers

  private var hasOutstandingRequests: Bool { statistics.pendingMessages > 0 || statistics.pendingBytes > 0 }

  private var recheckInterval: Duration { min(configuration.expires, .seconds(1)) }

  /// The consume refill request, if one is due.
  private func refillRequest() -> PullRequest? {
    let outstanding = statistics.pendingMessages + statistics.bufferedMessages
    let missing = configuration.batch - outstanding
    guard missing > 0 else { return nil }
    var byteBudget: Int?
    var bytesLow = false
    if let maxBytes = configuration.maxBytes {
      let missingBytes = maxBytes - statistics.pendingBytes
      bytesLow = statistics.pendingBytes < maxBytes / 2
      byteBudget = missingBytes
    }
    guard outstanding < configuration.thresholdMessages || bytesLow else { return nil }
    if let budget = byteBudget, budget <= 0 { return nil }
    return PullRequest(
      batch: missing, maxBytes: byteBudget, expires: configuration.expires, noWait: false,
      heartbeat: configuration.heartbeat)
  }

  private mutating func recordPull(_ request: PullRequest, now: Instant) {
    statistics.pendingMessages += request.batch
    if let bytes = request.maxBytes { statistics.pendingBytes += bytes }
    statistics.pullRequests += 1
    lastActivity = now
  }

  private mutating func subtractPending(messages: Int?, bytes: Int?, resetIfUnknown: Bool) {
    guard let messages else {
      if resetIfUnknown { resetPending() }
      return
    }
    statistics.pendingMessages = max(0, statistics.pendingMessages - messages)
    if let bytes { statistics.pendingBytes = max(0, statistics.pendingBytes - bytes) }
  }

  private mutating func resetPending() {
    statistics.pendingMessages = 0
    statistics.pendingBytes = 0
  }

  private mutating func unexpected(code: Int, description: String?, now: Instant) {
    if configuration.mode == .fetch {
      finish(.failed(.unexpectedStatus, "unexpected status \(code) \(description ?? "")"))
    } else {
      resetPending()
      pausedUntil = now + configuration.retryDelay
    }
  }

  private mutating func finish(_ completion: Completion) {
    if self.completion == nil { self.completion = completion }
  }
}
