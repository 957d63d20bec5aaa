import NIOCore

/// Closes a connection when the `IdleStateHandler` in front of it reports no reads for its timeout, so an
/// idle keep-alive client cannot hold a connection (and a task) forever.
final class IdleConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = NIOAny

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
      context.close(promise: nil)
      return
    }
    context.fireUserInboundEventTriggered(event)
  }
}
