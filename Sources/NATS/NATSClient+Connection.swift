import Foundation
import NATSWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NKeys

extension NATSClient {
  typealias Action = NATSConnectionStateMachine.Action

  /// Executes state machine actions. Never called with the core lock held.
  func run(_ actions: [Action]) {
    for action in actions {
      switch action {
      case .openConnection(let address):
        openConnection(to: address)
      case .scheduleReconnect(let delay):
        let task = eventLoop.scheduleTask(in: .nanoseconds(delay.nanoseconds)) { self.reconnectTimerFired() }
        core.withLockedValue { $0.reconnectTask = task }
      case .sendPing:
        let channel = core.withLockedValue { core -> (any Channel)? in
          guard let channel = core.channel else { return nil }
          core.pongQueue.append(.keepalive)
          return channel
        }
        if let channel { channel.eventLoop.execute { self.writePing(channel) } }
      case .closeConnection:
        let channel = core.withLockedValue { $0.channel }
        channel?.close(promise: nil)
      case .established(let server, let isReconnect):
        established(server: server, isReconnect: isReconnect)
      case .disconnected:
        disconnected()
      case .lameDuck(let server):
        emit(.lameDuckMode(server: server.description))
      case .discovered(let urls):
        emit(.serversDiscovered(urls))
      case .giveUp(let error):
        shutdown(error: error)
      case .closed:
        shutdown(error: nil)
      }
    }
  }

  /// Writes what is buffered, then a PING (so the PONG confirms everything before it).
  func writePing(_ channel: any Channel) {
    flushOutbound(channel)
    var buffer = channel.allocator.buffer(capacity: 6)
    NATSProtocolEncoder.writePing(into: &buffer)
    channel.writeAndFlush(buffer, promise: nil)
  }

  private func openConnection(to address: NATSServerAddress) {
    let id = core.withLockedValue { core -> UInt64 in
      core.connectionID += 1
      core.channel = nil
      return core.connectionID
    }
    let tlsFirst = options.tls?.handshakeFirst == true
    if tlsFirst {
      do { _ = try tls.context() } catch {
        connectFailed(connectionID: id, error: error)
        return
      }
    }
    let bootstrap = ClientBootstrap(group: eventLoop)
      .connectTimeout(.nanoseconds(options.connectTimeout.nanoseconds))
      .channelOption(.socketOption(.so_reuseaddr), value: 1)
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let sync = channel.pipeline.syncOperations
          if tlsFirst { try sync.addHandler(try self.makeSSLHandler(for: address)) }
          try sync.addHandler(
            NATSChannelHandler(
              client: self, connectionID: id, address: address, tlsActive: tlsFirst,
              handshakeTimeout: self.options.connectTimeout,
              decoder: NATSProtocolDecoder(maxControlLineLength: 64 * 1024, maxPayload: 128 * 1024 * 1024)))
        }
      }
    bootstrap.connect(host: address.host, port: address.port).whenComplete { result in
      switch result {
      case .success(let channel):
        let keep = self.core.withLockedValue { core -> Bool in
          guard core.connectionID == id, !core.isClosed else { return false }
          if core.channel == nil { core.channel = channel }
          return true
        }
        if !keep { channel.close(promise: nil) }
      case .failure(let error):
        self.connectFailed(
          connectionID: id, error: NATSError(.connectionFailed, "cannot connect to \(address)", cause: error))
      }
    }
  }

  func makeSSLHandler(for address: NATSServerAddress) throws -> NIOSSLClientHandler {
    let context = try tls.context()
    return try NIOSSLClientHandler(
      context: context, serverHostname: address.hostIsIPAddress ? nil : address.host)
  }

  /// Builds CONNECT for this server: identity, protocol features and authentication.
  func makeConnectRequest(info: NATSServerInfo, address: NATSServerAddress, tlsActive: Bool) throws
    -> NATSConnectRequest
  {
    var request = NATSConnectRequest(
      verbose: false, pedantic: false, tlsRequired: tlsActive, name: options.name, lang: "swift",
      version: NATSClientVersion.string, protocol: 1, headers: true, noResponders: options.noResponders,
      echo: options.echo)
    let nonce = info.nonce.flatMap { $0.isEmpty ? nil : $0 }
    switch options.auth {
    case .none:
      break
    case .userPassword(let user, let password):
      request.user = user
      request.pass = password
    case .token(let token):
      request.authToken = token
    case .nkeySeed(let seed):
      let pair = try NKeyPair(seed: seed)
      request.nkey = pair.publicKey
      if let nonce { request.sig = Base64URL.encode(pair.sign(Array(nonce.utf8))) }
    case .nkeySeedFile(let path):
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let seed =
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.hasPrefix("S") && !$0.contains(" ") } ?? ""
      let pair = try NKeyPair(seed: seed)
      request.nkey = pair.publicKey
      if let nonce { request.sig = Base64URL.encode(pair.sign(Array(nonce.utf8))) }
    case .credentialsFile(let path):
      let credentials = try NATSCredentials(path: path)
      request.jwt = credentials.jwt
      if let nonce { request.sig = credentials.signNonce(nonce) }
    }
    if request.user == nil, request.authToken == nil, request.nkey == nil, request.jwt == nil {
      if let user = address.user, let password = address.password {
        request.user = user
        request.pass = password
      } else if let token = address.token {
        request.authToken = token
      }
    }
    return request
  }

  // MARK: events from the channel handler

  /// The handshake finished on `channel`. The channel is recorded here too: the connect future's
  /// callback that also records it may run after the handshake completes.
  func handshakeCompleted(connectionID: UInt64, info: NATSServerInfo, channel: any Channel) {
    let actions = core.withLockedValue { core -> [Action] in
      guard core.connectionID == connectionID, !core.isClosed else { return [] }
      core.channel = channel
      core.serverInfo = info
      return core.machine.handshakeCompleted(info: info, now: .now())
    }
    run(actions)
  }

  func connectFailed(connectionID: UInt64, error: any Error) {
    let natsError = (error as? NATSError) ?? NATSError(.connectionFailed, "connection failed", cause: error)
    let actions = core.withLockedValue { core -> [Action] in
      guard core.connectionID == connectionID else { return [] }
      core.channel = nil
      return core.machine.connectFailed(error: natsError, now: .now())
    }
    if !actions.isEmpty { logger.debug("nats: connect attempt failed: \(natsError)") }
    run(actions)
  }

  func connectionLost(connectionID: UInt64) {
    let actions = core.withLockedValue { core -> [Action] in
      guard core.connectionID == connectionID else { return [] }
      return core.machine.connectionLost(now: .now())
    }
    run(actions)
  }

  func asyncInfo(connectionID: UInt64, info: NATSServerInfo) {
    let actions = core.withLockedValue { core -> [Action] in
      guard core.connectionID == connectionID else { return [] }
      core.serverInfo = info
      return core.machine.infoReceived(info, now: .now())
    }
    run(actions)
  }

  func pongReceived(connectionID: UInt64) {
    let resume = core.withLockedValue { core -> (CheckedContinuation<Duration, any Error>, Duration)? in
      guard core.connectionID == connectionID else { return nil }
      core.machine.pongReceived()
      guard let entry = core.pongQueue.popFirst() else { return nil }
      if case .flush(let id, let sentAt) = entry, let waiter = core.flushWaiters.removeValue(forKey: id) {
        return (waiter, .nanoseconds((NIODeadline.now() - sentAt).nanoseconds))
      }
      return nil
    }
    if let (waiter, rtt) = resume { waiter.resume(returning: rtt) }
  }

  func serverError(connectionID: UInt64, _ error: NATSError) {
    emit(.error(error))
  }

  func deliver(_ inbound: NATSInboundMessage) {
    inboundMessages.wrappingAdd(1, ordering: .relaxed)
    inboundBytes.wrappingAdd(inbound.wireSize, ordering: .relaxed)
    let subscription = subscriptionTable.withLockedValue { $0[inbound.sid] }
    guard let subscription else { return }
    switch subscription.enqueue(NATSMessage(inbound)) {
    case .dropped(first: true):
      emit(
        .slowConsumer(
          sid: subscription.sid, subject: subscription.subject, dropped: subscription.droppedMessages))
    case .reachedMax:
      _ = subscriptionTable.withLockedValue { $0.removeValue(forKey: inbound.sid) }
    case .dropped, .delivered, .ignored:
      break
    }
  }

  private func reconnectTimerFired() {
    let actions = core.withLockedValue { core -> [Action] in
      core.reconnectTask = nil
      return core.machine.reconnectTimerFired(now: .now())
    }
    run(actions)
  }

  func pingTimerFired() {
    let actions = core.withLockedValue { $0.machine.pingTimerFired() }
    run(actions)
  }

  // MARK: action bodies

  private func established(server: NATSServerAddress, isReconnect: Bool) {
    let subscriptions = subscriptionTable.withLockedValue { $0.values.sorted { $0.sid < $1.sid } }
    let prepared = core.withLockedValue {
      core -> (
        any Channel, ByteBuffer, [CheckedContinuation<Void, any Error>], CheckedContinuation<Void, any Error>?
      )?
      in
      guard let channel = core.channel else { return nil }
      var buffer = channel.allocator.buffer(
        capacity: core.outbound.readableBytes + subscriptions.count * 64 + 64)
      for sub in subscriptions where !sub.isFinished || sub.callback != nil {
        NATSProtocolEncoder.writeSubscribe(
          subject: sub.subject, queue: sub.queue, sid: sub.sid, into: &buffer)
        if let remaining = sub.remainingMax {
          NATSProtocolEncoder.writeUnsubscribe(sid: sub.sid, max: remaining, into: &buffer)
        }
      }
      buffer.writeImmutableBuffer(core.outbound)
      core.outbound.clear()
      let now = NIODeadline.now()
      for id in core.flushesAwaitingConnection {
        NATSProtocolEncoder.writePing(into: &buffer)
        core.pongQueue.append(.flush(id: id, sentAt: now))
      }
      core.flushesAwaitingConnection = []
      core.connectedServer = server
      let interval = TimeAmount.nanoseconds(options.pingInterval.nanoseconds)
      core.pingTask = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
        self.pingTimerFired()
      }
      let waiters = core.outboundWaiters
      core.outboundWaiters = []
      let connectWaiter = core.connectWaiter
      core.connectWaiter = nil
      return (channel, buffer, waiters, connectWaiter)
    }
    guard let (channel, buffer, waiters, connectWaiter) = prepared else { return }
    if buffer.readableBytes > 0 { channel.writeAndFlush(buffer, promise: nil) }
    for w in waiters { w.resume() }
    connectWaiter?.resume()
    emit(isReconnect ? .reconnected(server: server.description) : .connected(server: server.description))
  }

  private func disconnected() {
    let waiters = core.withLockedValue { core -> [CheckedContinuation<Void, any Error>] in
      core.channel = nil
      core.pingTask?.cancel()
      core.pingTask = nil
      for entry in core.pongQueue {
        if case .flush(let id, _) = entry { core.flushesAwaitingConnection.append(id) }
      }
      core.pongQueue.removeAll()
      core.connectedServer = nil
      core.flushScheduled = false
      let waiters = core.outboundWaiters
      core.outboundWaiters = []
      return waiters
    }
    for w in waiters { w.resume() }
    emit(.disconnected)
  }

  private func shutdown(error: NATSError?) {
    let finalError = error ?? NATSError(.connectionClosed, "connection closed")
    let taken = core.withLockedValue { core in
      core.isClosed = true
      core.closeError = finalError
      core.pingTask?.cancel()
      core.pingTask = nil
      core.reconnectTask?.cancel()
      core.reconnectTask = nil
      let result = (
        flush: Array(core.flushWaiters.values), outbound: core.outboundWaiters, connect: core.connectWaiter,
        close: core.closeWaiters, sinks: Array(core.eventSinks.values), channel: core.channel
      )
      core.flushWaiters = [:]
      core.flushesAwaitingConnection = []
      core.pongQueue.removeAll()
      core.outboundWaiters = []
      core.connectWaiter = nil
      core.closeWaiters = []
      core.eventSinks = [:]
      core.channel = nil
      return result
    }
    taken.channel?.close(promise: nil)
    for w in taken.flush { w.resume(throwing: finalError) }
    for w in taken.outbound { w.resume(throwing: finalError) }
    taken.connect?.resume(throwing: finalError)
    let subscriptions = subscriptionTable.withLockedValue { table -> [NATSSubscription] in
      defer { table.removeAll() }
      return Array(table.values)
    }
    for sub in subscriptions { sub.finish(error: error) }
    requestMux.failAll(finalError)
    if let error { logger.warning("nats: closed: \(error)") }
    for sink in taken.sinks {
      if let error { sink.yield(.error(error)) }
      sink.yield(.closed)
      sink.finish()
    }
    for w in taken.close { w.resume() }
  }
}

/// The client's version, sent in CONNECT.
public enum NATSClientVersion {
  public static let string = "0.1.0"
}

/// Cached NIOSSL client context built from `NATSTLSOptions` (system roots and full verification
/// when the server requires TLS and no options were given).
final class NATSTLSContextCache: Sendable {
  let options: NATSTLSOptions?
  private let cached = NIOLockedValueBox<NIOSSLContext?>(nil)

  init(options: NATSTLSOptions?) { self.options = options }

  func context() throws -> NIOSSLContext {
    if let existing = cached.withLockedValue({ $0 }) { return existing }
    let options = self.options ?? NATSTLSOptions()
    var config = TLSConfiguration.makeClientConfiguration()
    config.certificateVerification = options.verifyServer ? .fullVerification : .none
    do {
      if let caFile = options.caFile {
        config.trustRoots = .file(caFile)
      } else if let caPEM = options.caPEM {
        config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
      }
      if let certFile = options.certificateFile {
        config.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
      } else if let certPEM = options.certificatePEM {
        config.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certPEM.utf8)).map {
          .certificate($0)
        }
      }
      if let keyFile = options.keyFile {
        config.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
      } else if let keyPEM = options.keyPEM {
        config.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
      }
      let context = try NIOSSLContext(configuration: config)
      cached.withLockedValue { $0 = context }
      return context
    } catch {
      throw NATSError(.tlsFailure, "invalid TLS configuration", cause: error)
    }
  }
}
