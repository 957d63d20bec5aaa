import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A fake NATS server on a free loopback port for tests that need byte-exact control of what the
/// client reads: it sends `INFO`, answers every `PING` with `PONG`, and once the client's first
/// `SUB` arrives sends `script` one chunk per write, `chunkDelay` apart, so that the chunks reach
/// the client as separate reads. Only the first connection gets the script.
final class ScriptedNATSServer: Sendable {
  private let channel: any Channel
  private let accepted: NIOLockedValueBox<Int>

  /// `nats://127.0.0.1:<port>`.
  let url: String

  /// How many connections were accepted.
  var connections: Int { accepted.withLockedValue { $0 } }

  private init(channel: any Channel, accepted: NIOLockedValueBox<Int>, url: String) {
    self.channel = channel
    self.accepted = accepted
    self.url = url
  }

  /// Starts listening on 127.0.0.1 with a free port.
  static func start(script: [String], chunkDelay: TimeAmount = .milliseconds(30)) async throws
    -> ScriptedNATSServer
  {
    try await listen { child, isFirst in
      child.eventLoop.makeCompletedFuture {
        try child.pipeline.syncOperations.addHandler(
          ScriptedConnectionHandler(script: isFirst ? script : [], chunkDelay: chunkDelay))
      }
    }
  }

  /// Starts listening on 127.0.0.1 with a free port and closes every connection at once, before
  /// any INFO: something listens there, but no NATS server answers.
  static func startClosingEveryConnection() async throws -> ScriptedNATSServer {
    try await listen { child, _ in child.close() }
  }

  private static func listen(
    _ initialize: @escaping @Sendable (any Channel, _ isFirst: Bool) -> EventLoopFuture<Void>
  ) async throws -> ScriptedNATSServer {
    let accepted = NIOLockedValueBox(0)
    let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { child in
        let isFirst = accepted.withLockedValue { count -> Bool in
          count += 1
          return count == 1
        }
        return initialize(child, isFirst)
      }
    let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    return ScriptedNATSServer(channel: channel, accepted: accepted, url: "nats://127.0.0.1:\(port)")
  }

  /// Stops listening (accepted connections are closed by their clients).
  func stop() async {
    try? await channel.close()
  }
}

/// One scripted connection.
private final class ScriptedConnectionHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private let script: [String]
  private let chunkDelay: TimeAmount
  private var received = ""
  private var started = false

  init(script: [String], chunkDelay: TimeAmount) {
    self.script = script
    self.chunkDelay = chunkDelay
  }

  func channelActive(context: ChannelHandlerContext) {
    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "INFO {\"headers\":true}\r\n")), promise: nil)
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    received += String(buffer: unwrapInboundIn(data))
    if !started, received.contains("SUB ") {
      started = true
      let channel = NIOLoopBound(context.channel, eventLoop: context.eventLoop)
      for (index, chunk) in script.enumerated() {
        context.eventLoop.scheduleTask(in: chunkDelay * Int64(index + 1)) {
          channel.value.writeAndFlush(ByteBuffer(string: chunk), promise: nil)
        }
      }
    }
    // Answer each complete PING line (a line may be split across reads).
    while let range = received.range(of: "PING\r\n") {
      received.removeSubrange(received.startIndex..<range.upperBound)
      context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "PONG\r\n")), promise: nil)
    }
  }
}
