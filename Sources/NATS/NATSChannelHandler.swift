import NATSWire
import NIOCore
import NIOSSL
import NIOTLS

/// The thin NIO handler of one connection attempt: runs the INFO → (TLS) → CONNECT/PING → PONG
/// handshake, answers server PINGs, and forwards everything else to the client. It holds no
/// state beyond the handshake phase and the bytes of an incomplete frame; the client's state
/// machine decides what happens next.
///
/// It runs ``NATSProtocolDecoder`` itself over the bytes it reads (rather than behind a
/// `ByteToMessageHandler`), so a decoded `MSG` goes straight to the client without being boxed
/// into `NIOAny` and cast back, which was a tenth of the receive path's CPU.
final class NATSChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private enum Phase {
    case awaitingInfo
    case awaitingTLS(NATSServerInfo)
    case awaitingPong(NATSServerInfo)
    case ready
    case failed
  }

  private let client: NATSClient
  private let connectionID: UInt64
  private let address: NATSServerAddress
  private let handshakeTimeout: Duration
  private var tlsActive: Bool
  private var phase: Phase = .awaitingInfo
  private var failure: NATSError?
  private var timeoutTask: Scheduled<Void>?
  private var decoder: NATSProtocolDecoder
  /// Bytes of a frame that has not arrived completely.
  private var unread: ByteBuffer?
  /// Set once the decoder failed: the stream is out of sync and further bytes are dropped.
  private var decodingFailed = false

  init(
    client: NATSClient, connectionID: UInt64, address: NATSServerAddress, tlsActive: Bool,
    handshakeTimeout: Duration, decoder: NATSProtocolDecoder
  ) {
    self.client = client
    self.connectionID = connectionID
    self.address = address
    self.tlsActive = tlsActive
    self.handshakeTimeout = handshakeTimeout
    self.decoder = decoder
  }

  private var isReady: Bool {
    if case .ready = phase { return true }
    return false
  }

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { startHandshakeTimer(context: context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    startHandshakeTimer(context: context)
    context.fireChannelActive()
  }

  private func startHandshakeTimer(context: ChannelHandlerContext) {
    guard timeoutTask == nil else { return }
    let timeout = handshakeTimeout
    let address = self.address
    let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
    let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
    timeoutTask = context.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
      let handler = loopBoundSelf.value
      guard !handler.isReady else { return }
      handler.fail(
        NATSError(.timeout, "handshake with \(address) did not complete within \(timeout)"),
        context: loopBoundContext.value)
    }
  }

  /// Closes the channel. Before the handshake completed this is a failed attempt (reported with
  /// `error` when the channel goes inactive); after it, the phase stays `.ready` so that going
  /// inactive is reported as a lost connection and the client reconnects.
  private func fail(_ error: NATSError, context: ChannelHandlerContext) {
    if !isReady {
      if failure == nil { failure = error }
      phase = .failed
    }
    context.close(promise: nil)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard !decodingFailed else { return }
    var bytes = unwrapInboundIn(data)
    if var earlier = unread {
      unread = nil
      earlier.writeBuffer(&bytes)
      bytes = earlier
    }
    do {
      while let op = try decoder.decode(buffer: &bytes) {
        handle(op, context: context)
      }
    } catch {
      decodingFailed = true
      errorCaught(context: context, error: error)
      return
    }
    guard bytes.readableBytes > 0 else { return }
    // Keep the incomplete frame; drop the consumed front once it is most of the buffer.
    if bytes.readerIndex > 1024, bytes.readerIndex > bytes.capacity / 2 { bytes.discardReadBytes() }
    unread = bytes
  }

  /// Acts on one decoded server operation.
  private func handle(_ op: NATSServerOp, context: ChannelHandlerContext) {
    switch op {
    case .msg(let message):
      client.deliver(message)
    case .ping:
      var buffer = context.channel.allocator.buffer(capacity: 6)
      NATSProtocolEncoder.writePong(into: &buffer)
      context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    case .pong:
      switch phase {
      case .awaitingPong(let info):
        phase = .ready
        timeoutTask?.cancel()
        client.handshakeCompleted(connectionID: connectionID, info: info, channel: context.channel)
      case .ready:
        client.pongReceived(connectionID: connectionID)
      default:
        break
      }
    case .info(let info):
      switch phase {
      case .awaitingInfo:
        receivedFirstInfo(info, context: context)
      case .ready:
        client.asyncInfo(connectionID: connectionID, info: info)
      default:
        break
      }
    case .ok:
      break
    case .err(let text):
      let error = NATSError.fromServer(text)
      if isReady {
        client.serverError(connectionID: connectionID, error)
        if !error.serverKeepsConnection { context.close(promise: nil) }
      } else {
        fail(error, context: context)
      }
    }
  }

  private func receivedFirstInfo(_ info: NATSServerInfo, context: ChannelHandlerContext) {
    let needsTLS = address.requiresTLS || info.tlsRequired == true || client.options.tls != nil
    if needsTLS && !tlsActive {
      do {
        let ssl = try client.makeSSLHandler(for: address)
        try context.pipeline.syncOperations.addHandler(ssl, position: .first)
        tlsActive = true
        phase = .awaitingTLS(info)
      } catch {
        fail(NATSError(.tlsFailure, "cannot start TLS with \(address)", cause: error), context: context)
      }
      return
    }
    sendConnect(info: info, context: context)
  }

  private func sendConnect(info: NATSServerInfo, context: ChannelHandlerContext) {
    do {
      let request = try client.makeConnectRequest(info: info, address: address, tlsActive: tlsActive)
      var buffer = context.channel.allocator.buffer(capacity: 512)
      try NATSProtocolEncoder.writeConnect(request, into: &buffer)
      NATSProtocolEncoder.writePing(into: &buffer)
      phase = .awaitingPong(info)
      context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    } catch {
      let natsError =
        (error as? NATSError)
        ?? NATSError(.authorizationViolation, "cannot build CONNECT credentials", cause: error)
      fail(natsError, context: context)
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case TLSUserEvent.handshakeCompleted = event, case .awaitingTLS(let info) = phase {
      sendConnect(info: info, context: context)
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if context.channel.isWritable, isReady { client.flushOutbound(context.channel) }
    context.fireChannelWritabilityChanged()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let natsError: NATSError
    if let e = error as? NATSError {
      natsError = e
    } else if error is NATSProtocolError {
      natsError = NATSError(.protocolError, "protocol error from \(address)", cause: error)
    } else if error is NIOSSLError || String(describing: type(of: error)).contains("SSL") {
      natsError = NATSError(.tlsFailure, "TLS failure with \(address)", cause: error)
    } else {
      natsError = NATSError(.connectionFailed, "connection error with \(address)", cause: error)
    }
    if isReady { client.serverError(connectionID: connectionID, natsError) }
    fail(natsError, context: context)
  }

  func channelInactive(context: ChannelHandlerContext) {
    timeoutTask?.cancel()
    switch phase {
    case .ready:
      client.connectionLost(connectionID: connectionID)
    default:
      client.connectFailed(
        connectionID: connectionID,
        error: failure
          ?? NATSError(.connectionFailed, "\(address) closed the connection during the handshake"))
    }
    context.fireChannelInactive()
  }
}
