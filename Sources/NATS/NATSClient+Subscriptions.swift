import NATSWire

// Subscriptions, request/reply over the shared reply inbox, and drain.
extension NATSClient {
  // MARK: subscribe

  /// Subscribes to a subject (wildcards allowed), optionally in a queue group.
  public func subscribe(
    _ subject: String, queue: String? = nil, limits: NATSPendingLimits? = nil
  ) throws -> NATSSubscription {
    try makeSubscription(subject: subject, queue: queue, limits: limits ?? options.subscriptionPendingLimits)
  }

  /// A subscription whose messages go straight to `handler` on the event loop (internal fast path
  /// for request/reply and JetStream acks). The handler must not block.
  public func subscribe(
    _ subject: String, queue: String? = nil, handler: @escaping @Sendable (NATSMessage) -> Void
  ) throws -> NATSSubscription {
    try makeSubscription(
      subject: subject, queue: queue, limits: options.subscriptionPendingLimits, callback: handler)
  }

  private func makeSubscription(
    subject: String, queue: String?, limits: NATSPendingLimits,
    callback: (@Sendable (NATSMessage) -> Void)? = nil
  ) throws -> NATSSubscription {
    guard NATSSubject.isValidSubscribe(subject) else {
      throw NATSError(.invalidSubject, "invalid subscribe subject '\(subject)'")
    }
    if let queue, !NATSSubject.isValidQueueGroup(queue) {
      throw NATSError(.invalidSubject, "invalid queue group '\(queue)'")
    }
    let sid = try core.withLockedValue { core -> UInt64 in
      if core.isClosed { throw core.closeError ?? NATSError(.connectionClosed, "connection closed") }
      if core.isDraining { throw NATSError(.draining, "connection is draining") }
      core.nextSID += 1
      return core.nextSID
    }
    let subscription = NATSSubscription(
      subject: subject, queue: queue, sid: sid, limits: limits, callback: callback,
      unsubscribe: { [weak self] sub, max in try self?.unsubscribe(sub, max: max) })
    subscriptionTable.withLockedValue { $0[sid] = subscription }
    enqueueProtocol {
      NATSProtocolEncoder.writeSubscribe(subject: subject, queue: queue, sid: sid, into: &$0)
    }
    return subscription
  }

  func unsubscribe(_ subscription: NATSSubscription, max: Int?) throws {
    if core.withLockedValue({ $0.isClosed }) { return }
    if max == nil {
      _ = subscriptionTable.withLockedValue { $0.removeValue(forKey: subscription.sid) }
      subscription.finish()
    }
    enqueueProtocol { NATSProtocolEncoder.writeUnsubscribe(sid: subscription.sid, max: max, into: &$0) }
  }

  // MARK: request / reply

  /// Sends a request and waits for the first reply. A 503 status (no subscriber) throws
  /// `.noResponders`; no reply within `timeout` throws `.timeout`.
  public func request<Bytes: Collection & Sendable>(
    _ subject: String, payload: Bytes, headers: NATSHeaders? = nil, timeout: Duration? = nil
  ) async throws -> NATSMessage where Bytes.Element == UInt8 {
    try ensureRequestSubscription()
    let timeout = timeout ?? options.requestTimeout
    let (token, replyTo) = requestMux.register(subject: subject, timeout: timeout)
    do {
      try await publish(subject, payload: payload, headers: headers, replyTo: replyTo)
    } catch {
      requestMux.fail(token: token, error)
    }
    let message = try await requestMux.wait(token: token)
    if message.status == 503 {
      throw NATSError(.noResponders, "no responders on '\(subject)'")
    }
    return message
  }

  private func ensureRequestSubscription() throws {
    guard requestMux.needsSubscription() else { return }
    let mux = requestMux
    do {
      _ = try subscribe(mux.prefix + "*") { message in mux.deliver(message) }
    } catch {
      mux.subscriptionFailed()
      throw error
    }
  }

  // MARK: drain

  /// Graceful shutdown: unsubscribes everything (the server stops sending), lets iterators
  /// consume what is already queued, flushes pending publishes and closes, all within `timeout`.
  public func drain(timeout: Duration = .seconds(30)) async throws {
    let deadline = ContinuousClock.now + timeout
    let subs =
      core.withLockedValue { core -> [NATSSubscription] in
        core.isDraining = true
        return []
      } + subscriptionTable.withLockedValue { Array($0.values) }
    for sub in subs {
      enqueueProtocol { NATSProtocolEncoder.writeUnsubscribe(sid: sub.sid, max: nil, into: &$0) }
    }
    var failure: (any Error)?
    do {
      try await flush(timeout: max(ContinuousClock.now.duration(to: deadline), .milliseconds(1)))
    } catch { failure = error }
    for sub in subs where sub.callback == nil { sub.finish() }
    // Wait (bounded) for the consumers to take what is queued.
    while ContinuousClock.now < deadline,
      subs.contains(where: { $0.callback == nil && $0.pendingMessages > 0 })
    {
      try? await Task.sleep(for: .milliseconds(5))
    }
    subscriptionTable.withLockedValue { table in for sub in subs { table.removeValue(forKey: sub.sid) } }
    if failure == nil {
      do {
        try await flush(timeout: max(ContinuousClock.now.duration(to: deadline), .milliseconds(1)))
      } catch { failure = error }
    }
    await close()
    if let failure { throw failure }
    if subs.contains(where: { $0.callback == nil && $0.pendingMessages > 0 }) {
      throw NATSError(.timeout, "drain timed out with messages still pending")
    }
  }
}
