import Foundation
import Logging
import NATSWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// A NATS connection with automatic reconnect.
///
/// The connection lifecycle lives in `NATSConnectionStateMachine`; this class executes its
/// actions with SwiftNIO. All mutable state sits in one lock-protected `Core` value; actions are
/// executed after the lock is released. Publishing appends to an outbound buffer that the event
/// loop flushes in batches (like nats.go's flusher), which is what makes it fast. While
/// disconnected, that buffer is the reconnect buffer: bounded, sent after reconnect, and a
/// publish that would overflow it throws instead of being lost.
public final class NATSClient: Sendable {
  /// The options the client was created with.
  public let options: NATSClientOptions
  let logger: Logger
  package let eventLoop: any EventLoop
  let core: NIOLockedValueBox<Core>
  let subscriptionTable: NIOLockedValueBox<[UInt64: NATSSubscription]>
  let requestMux: NATSRequestMux
  /// An executor on the connection's event loop, for `withTaskExecutorPreference`: a task that
  /// runs there does request/reply and pull/ack without a thread hop per message (see
  /// ``NATSEventLoopExecutor``; keep CPU-heavy work off it).
  public let taskExecutor: NATSEventLoopExecutor
  /// Unique inbox prefix of this client (`_INBOX.<nuid>`). ``newInbox()`` returns
  /// `<inboxPrefix>.<nuid>`; request replies arrive on `<inboxPrefix>.<another nuid>.<token>`, one
  /// token deeper, so the wildcard subscription of request/reply never matches an inbox (which
  /// would make the server deliver every message sent to that inbox twice).
  public let inboxPrefix: String
  let tls: NATSTLSContextCache
  /// Messages and their header + payload bytes received from the server, for every subscription
  /// (counted on the event loop without the client lock).
  let inboundMessages = Atomic<Int>(0)
  let inboundBytes = Atomic<Int>(0)

  struct Core {
    var machine: NATSConnectionStateMachine
    var channel: (any Channel)?
    var connectionID: UInt64 = 0
    var serverInfo: NATSServerInfo? {
      didSet { maxPayload = serverInfo?.maxPayload ?? 0 }
    }
    /// `serverInfo.maxPayload`, kept apart so the publish path does not copy the whole info.
    var maxPayload = 0
    var outbound: ByteBuffer
    /// The last subject that passed the publish check (see `tryEnqueueOutbound`).
    var lastValidSubject: String?
    var flushScheduled = false
    var outboundWaiters: [CheckedContinuation<Void, any Error>] = []
    var pongQueue = CircularBuffer<PongEntry>()
    var flushWaiters: [UInt64: CheckedContinuation<Duration, any Error>] = [:]
    var flushesAwaitingConnection: [UInt64] = []
    var nextFlushID: UInt64 = 0
    var eventSinks: [UInt64: AsyncStream<NATSConnectionEvent>.Continuation] = [:]
    var nextSinkID: UInt64 = 0
    var pingTask: RepeatedTask?
    var reconnectTask: Scheduled<Void>?
    var connectWaiter: CheckedContinuation<Void, any Error>?
    var closeWaiters: [CheckedContinuation<Void, Never>] = []
    var isClosed = false
    var isDraining = false
    var nextSID: UInt64 = 0
    var closeError: NATSError?
    var statistics = NATSStatistics()
    var connectedServer: NATSServerAddress?
  }

  enum PongEntry {
    case handshake
    case keepalive
    case flush(id: UInt64, sentAt: NIODeadline)
  }

  // MARK: lifecycle

  /// Connects to the first reachable server of the pool (each server tried once unless
  /// `retryOnFailedConnect`), and returns once CONNECT has been accepted (PONG received).
  ///
  /// Cancelling the calling task gives up: the client closes (no attempt continues in the
  /// background) and this throws `CancellationError`. With `retryOnFailedConnect` and unlimited
  /// attempts that is the only way out while no server answers, so a service told to stop before
  /// it ever connected can exit.
  public static func connect(
    _ options: NATSClientOptions, logger: Logger = Logger(label: "nats"),
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async throws -> NATSClient {
    let client = try NATSClient(options: options, logger: logger, eventLoopGroup: eventLoopGroup)
    do {
      try await client.start()
    } catch {
      if Task.isCancelled { throw CancellationError() }
      throw error
    }
    // A cancellation that arrived as the handshake completed has closed the client already.
    if Task.isCancelled && client.isClosed { throw CancellationError() }
    return client
  }

  init(options: NATSClientOptions, logger: Logger, eventLoopGroup: any EventLoopGroup) throws {
    var addresses: [NATSServerAddress] = []
    for url in options.servers {
      do {
        addresses.append(try NATSServerAddress(parsing: url))
      } catch {
        throw error
      }
    }
    if addresses.isEmpty { throw NATSError(.noServers, "no servers configured") }
    if !options.noRandomize { addresses.shuffle() }
    if options.tls != nil {
      for i in addresses.indices { addresses[i].requiresTLS = true }
    }
    var config = NATSConnectionStateMachine.Configuration()
    config.allowReconnect = options.allowReconnect
    config.maxReconnectAttempts = options.maxReconnectAttempts
    config.reconnectWait = options.reconnectWait
    config.reconnectMaxWait = options.reconnectMaxWait
    config.reconnectJitter = options.reconnectJitter
    config.maxPingsOutstanding = options.maxPingsOutstanding
    config.ignoreDiscoveredServers = options.ignoreDiscoveredServers
    config.retryOnFailedConnect = options.retryOnFailedConnect
    let machine = NATSConnectionStateMachine(
      servers: addresses, configuration: config,
      jitter: { bound in
        let ns = bound.nanoseconds
        return ns > 0 ? .nanoseconds(Int64.random(in: 0...ns)) : .zero
      })
    self.options = options
    self.logger = logger
    self.eventLoop = eventLoopGroup.next()
    let outbound = ByteBufferAllocator().buffer(capacity: 64 * 1024)
    self.core = NIOLockedValueBox(Core(machine: machine, outbound: outbound))
    self.subscriptionTable = NIOLockedValueBox([:])
    self.inboxPrefix = "\(options.inboxPrefix).\(NATSNUID.next())"
    self.requestMux = NATSRequestMux(prefix: "\(inboxPrefix).\(NATSNUID.next()).", eventLoop: eventLoop)
    self.taskExecutor = NATSEventLoopExecutor(eventLoop: eventLoop)
    self.tls = NATSTLSContextCache(options: options.tls)
  }

  private func start() async throws {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
        let actions = core.withLockedValue { core -> [NATSConnectionStateMachine.Action]? in
          // Cancelled (and so closed) before the first attempt: nothing will resume `c` later.
          if core.isClosed { return nil }
          core.connectWaiter = c
          return core.machine.start(now: .now())
        }
        guard let actions else {
          c.resume(throwing: CancellationError())
          return
        }
        run(actions)
      }
    } onCancel: {
      // Closing fails the connect wait (`shutdown(error:)` resumes it) and stops the retries.
      // Before the first attempt this closes at once, and the start above sees it.
      let actions = core.withLockedValue { core in core.isClosed ? [] : core.machine.closeRequested() }
      run(actions)
    }
  }

  /// Closes the connection now: pending flushes and requests fail, subscriptions end.
  /// Publishes still in the reconnect buffer are discarded (use `drain()` to deliver them).
  public func close() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let actions = core.withLockedValue { core -> [NATSConnectionStateMachine.Action]? in
        if core.isClosed { return nil }
        core.closeWaiters.append(c)
        return core.machine.closeRequested()
      }
      guard let actions else {
        c.resume()
        return
      }
      run(actions)
    }
  }

  // MARK: state

  /// The INFO of the current (or last) server.
  public var serverInfo: NATSServerInfo? { core.withLockedValue { $0.serverInfo } }
  /// Whether a connection is established right now.
  public var isConnected: Bool { core.withLockedValue { $0.machine.isConnected } }
  /// Whether the client was closed.
  public var isClosed: Bool { core.withLockedValue { $0.isClosed } }
  /// The server currently connected to.
  public var connectedServer: String? { core.withLockedValue { $0.connectedServer?.description } }
  /// Every server the client knows, seeds and discovered (`host:port`).
  public var knownServers: [String] { core.withLockedValue { $0.machine.pool.map { $0.address.hostPort } } }
  /// Counters.
  public var statistics: NATSStatistics {
    var statistics = core.withLockedValue { c in
      var s = c.statistics
      s.reconnects = c.machine.reconnects
      return s
    }
    statistics.inMessages = inboundMessages.load(ordering: .relaxed)
    statistics.inBytes = inboundBytes.load(ordering: .relaxed)
    return statistics
  }
  /// Bytes waiting in the outbound/reconnect buffer.
  public var bufferedBytes: Int { core.withLockedValue { $0.outbound.readableBytes } }

  /// A new stream of connection events (each call gets its own stream; events are multicast).
  public func events() -> AsyncStream<NATSConnectionEvent> {
    let (stream, continuation) = AsyncStream<NATSConnectionEvent>.makeStream(
      bufferingPolicy: .bufferingNewest(256))
    let id = core.withLockedValue { core -> UInt64? in
      if core.isClosed { return nil }
      core.nextSinkID += 1
      core.eventSinks[core.nextSinkID] = continuation
      return core.nextSinkID
    }
    guard let id else {
      continuation.yield(.closed)
      continuation.finish()
      return stream
    }
    continuation.onTermination = { [weak self] _ in
      _ = self?.core.withLockedValue { $0.eventSinks.removeValue(forKey: id) }
    }
    return stream
  }

  func emit(_ event: NATSConnectionEvent) {
    let sinks = core.withLockedValue { Array($0.eventSinks.values) }
    for sink in sinks { sink.yield(event) }
    switch event {
    case .error(let e): logger.warning("nats: \(e)")
    case .slowConsumer: logger.warning("nats: \(event)")
    default: logger.info("nats: \(event)")
    }
  }

  /// A fresh unique inbox subject.
  public func newInbox() -> String { "\(inboxPrefix).\(NATSNUID.next())" }

  // MARK: publish

  /// Publishes a message. While connected the bytes are queued and flushed by the event loop
  /// in batches; while reconnecting they go to the reconnect buffer. Throws when the payload is
  /// over the server's `max_payload`, when the reconnect buffer is full, or when closed.
  ///
  /// Suspends only while the outbound buffer is above `outboundHighWatermark`; otherwise this is
  /// ``tryPublish(_:payload:headers:replyTo:)`` (inlined, so the common case allocates no async frame).
  @inlinable
  public func publish<Bytes: Collection & Sendable>(
    _ subject: String, payload: Bytes, headers: NATSHeaders? = nil, replyTo: String? = nil
  ) async throws where Bytes.Element == UInt8 {
    if try tryPublish(subject, payload: payload, headers: headers, replyTo: replyTo) { return }
    try await publishWaitingForRoom {
      try tryPublish(subject, payload: payload, headers: headers, replyTo: replyTo)
    }
  }

  /// Publishes a message whose payload is a `ByteBuffer`.
  ///
  /// Suspends only while the outbound buffer is above `outboundHighWatermark`; otherwise this is
  /// ``tryPublish(_:buffer:headers:replyTo:)`` (inlined, so the common case allocates no async frame).
  @inlinable
  public func publish(
    _ subject: String, buffer payload: ByteBuffer, headers: NATSHeaders? = nil, replyTo: String? = nil
  ) async throws {
    if try tryPublish(subject, buffer: payload, headers: headers, replyTo: replyTo) { return }
    try await publishWaitingForRoom {
      try tryPublish(subject, buffer: payload, headers: headers, replyTo: replyTo)
    }
  }

  /// Publishes a UTF-8 string payload.
  public func publish(
    _ subject: String, string: String, headers: NATSHeaders? = nil, replyTo: String? = nil
  ) async throws {
    try await publish(subject, payload: Array(string.utf8), headers: headers, replyTo: replyTo)
  }

  /// Publishes without suspending when there is room: returns `true` when the message was queued
  /// (or, while reconnecting, put in the reconnect buffer), `false` with nothing written when the
  /// connection is up but the outbound buffer is above `outboundHighWatermark` (then `await`
  /// ``publish(_:payload:headers:replyTo:)``, which waits for the event loop to drain it). Throws
  /// exactly what `publish` throws: invalid subject, over `max_payload`, reconnect buffer full, closed.
  public func tryPublish<Bytes: Collection & Sendable>(
    _ subject: String, payload: Bytes, headers: NATSHeaders? = nil, replyTo: String? = nil
  ) throws -> Bool where Bytes.Element == UInt8 {
    try tryEnqueueOutbound(size: payload.count + (headers?.encodedLength ?? 0), checking: subject) {
      NATSProtocolEncoder.writePublish(
        subject: subject, replyTo: replyTo, headers: headers, payload: payload, into: &$0)
    }
  }

  /// ``tryPublish(_:payload:headers:replyTo:)`` with a `ByteBuffer` payload.
  public func tryPublish(
    _ subject: String, buffer payload: ByteBuffer, headers: NATSHeaders? = nil, replyTo: String? = nil
  ) throws -> Bool {
    if case .none = headers, case .none = replyTo {
      // The common plain PUB, with nothing optional captured by the closure.
      return try payload.withUnsafeReadableBytes { bytes in
        try tryEnqueueOutbound(size: bytes.count, checking: subject) {
          NATSProtocolEncoder.writePlainPublish(subject: subject, payload: bytes, into: &$0)
        }
      }
    }
    return try tryEnqueueOutbound(
      size: payload.readableBytes + (headers?.encodedLength ?? 0), checking: subject
    ) {
      NATSProtocolEncoder.writePublish(
        subject: subject, replyTo: replyTo, headers: headers, payload: payload, into: &$0)
    }
  }

  /// The slow path of the `publish` methods: waits for room, then retries `attempt` (a
  /// `tryPublish`) until it queues the message.
  @usableFromInline
  func publishWaitingForRoom(_ attempt: () throws -> Bool) async throws {
    while true {
      try await waitForOutboundRoom()
      if try attempt() { return }
    }
  }

  private enum EnqueueStep {
    case done
    case flush(any Channel)
    case wait
  }

  /// Appends one message to the outbound buffer without suspending. Returns `false` (nothing
  /// written) when connected with the buffer above the high-water mark. While not connected the
  /// buffer is the reconnect buffer: bounded by `reconnectBufferSize`, throwing when it would overflow.
  ///
  /// `subject` is checked first (`.invalidSubject`). The last subject that passed is remembered,
  /// so publishing to the same subject again costs one string comparison.
  private func tryEnqueueOutbound(size: Int, checking subject: String, write: (inout ByteBuffer) -> Void)
    throws -> Bool
  {
    let step = try core.withLockedValue { core -> EnqueueStep in
      if subject != core.lastValidSubject {
        guard NATSSubject.isValidPublish(subject) else {
          throw NATSError(.invalidSubject, "invalid publish subject '\(subject)'")
        }
        core.lastValidSubject = subject
      }
      if core.isClosed { throw core.closeError ?? NATSError(.connectionClosed, "connection closed") }
      if core.maxPayload > 0, size > core.maxPayload {
        throw NATSError(
          .maxPayloadExceeded,
          "message of \(size) bytes exceeds the server's max_payload of \(core.maxPayload) bytes")
      }
      if core.machine.isConnected, let channel = core.channel {
        if core.outbound.readableBytes > options.outboundHighWatermark { return .wait }
        write(&core.outbound)
        core.statistics.outMessages += 1
        core.statistics.outBytes += size
        if !core.flushScheduled {
          core.flushScheduled = true
          return .flush(channel)
        }
        return .done
      }
      if core.outbound.readableBytes + size > options.reconnectBufferSize {
        throw NATSError(
          .reconnectBufferExceeded,
          "not connected and the reconnect buffer (\(options.reconnectBufferSize) bytes) is full; message not sent"
        )
      }
      write(&core.outbound)
      core.statistics.outMessages += 1
      core.statistics.outBytes += size
      return .done
    }
    switch step {
    case .done:
      return true
    case .flush(let channel):
      channel.eventLoop.execute { self.flushOutbound(channel) }
      return true
    case .wait:
      return false
    }
  }

  /// Waits until the event loop has written the outbound buffer (or the connection changed),
  /// scheduling a flush if none is pending. Throws when the client is closed.
  private func waitForOutboundRoom() async throws {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
      let scheduleFlush = core.withLockedValue { core -> (any Channel)? in
        if core.isClosed {
          c.resume(throwing: core.closeError ?? NATSError(.connectionClosed, "connection closed"))
          return nil
        }
        // Drained (or disconnected) since the caller looked: retry now. Waiting here could
        // last forever, since a flush of an empty buffer resumes nobody.
        guard core.machine.isConnected, core.channel != nil,
          core.outbound.readableBytes > options.outboundHighWatermark
        else {
          c.resume()
          return nil
        }
        core.outboundWaiters.append(c)
        if !core.flushScheduled, let ch = core.channel {
          core.flushScheduled = true
          return ch
        }
        return nil
      }
      if let ch = scheduleFlush { ch.eventLoop.execute { self.flushOutbound(ch) } }
    }
  }

  /// Writes the outbound buffer to the channel (runs on the channel's event loop).
  func flushOutbound(_ channel: any Channel) {
    if !channel.isWritable {
      // channelWritabilityChanged will call us again.
      core.withLockedValue { $0.flushScheduled = false }
      return
    }
    let (buffer, waiters) = core.withLockedValue {
      core -> (ByteBuffer?, [CheckedContinuation<Void, any Error>]) in
      core.flushScheduled = false
      guard core.machine.isConnected, core.channel === channel, core.outbound.readableBytes > 0 else {
        return (nil, [])
      }
      let out = core.outbound
      core.outbound = channel.allocator.buffer(capacity: Swift.max(64 * 1024, out.readableBytes / 2))
      let waiters = core.outboundWaiters
      core.outboundWaiters = []
      return (out, waiters)
    }
    if let buffer { channel.writeAndFlush(buffer, promise: nil) }
    for w in waiters { w.resume() }
  }

  /// Appends raw protocol bytes (SUB/UNSUB/PING) in order with publishes.
  func enqueueProtocol(_ write: (inout ByteBuffer) -> Void) {
    let channel = core.withLockedValue { core -> (any Channel)? in
      guard core.machine.isConnected, let channel = core.channel else { return nil }
      write(&core.outbound)
      if core.flushScheduled { return nil }
      core.flushScheduled = true
      return channel
    }
    if let channel { channel.eventLoop.execute { self.flushOutbound(channel) } }
  }

  // MARK: flush and rtt

  /// Round trip: sends PING after everything published so far and waits for the PONG. While
  /// reconnecting, the PING is sent after the reconnect buffer once connected again.
  @discardableResult
  public func flush(timeout: Duration? = nil) async throws -> Duration {
    let timeout = timeout ?? options.requestTimeout
    let id = core.withLockedValue { core -> UInt64 in
      core.nextFlushID += 1
      return core.nextFlushID
    }
    let timer = eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
      let waiter = self.core.withLockedValue { $0.flushWaiters.removeValue(forKey: id) }
      waiter?.resume(throwing: NATSError(.timeout, "flush timed out after \(timeout)"))
    }
    defer { timer.cancel() }
    return try await withCheckedThrowingContinuation { (c: CheckedContinuation<Duration, any Error>) in
      let channel = core.withLockedValue { core -> (any Channel)?? in
        if core.isClosed {
          c.resume(throwing: core.closeError ?? NATSError(.connectionClosed, "connection closed"))
          return .none
        }
        core.flushWaiters[id] = c
        guard core.machine.isConnected, let channel = core.channel else {
          core.flushesAwaitingConnection.append(id)
          return .some(nil)
        }
        core.pongQueue.append(.flush(id: id, sentAt: .now()))
        return .some(channel)
      }
      if case .some(.some(let ch)) = channel { ch.eventLoop.execute { self.writePing(ch) } }
    }
  }

  /// Round-trip time to the server (a flush).
  public func rtt() async throws -> Duration { try await flush() }
}
