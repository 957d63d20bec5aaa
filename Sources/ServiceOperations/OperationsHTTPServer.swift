import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The HTTP/1.1 endpoint the cluster probes and scrapes.
///
/// - `GET /healthz`: 200 `ok` while the process runs.
/// - `GET /readyz`: 200 `ok` when `readiness()` returns ``Readiness/ready``, otherwise 503 with the reasons
///   as a JSON list of strings. A check that takes longer than ``readinessTimeout`` counts as not ready.
/// - `GET /metrics`: 200 `text/plain; version=0.0.4` with ``MetricsRegistry/render()``.
/// - Another method on those paths: 405 with `Allow: GET`; any other path: 404.
///
/// Connections are kept alive unless the client asks otherwise, and closed after ``idleTimeout`` without
/// a request. The server is started and stopped explicitly; ``start()`` returns the bound port.
public final class OperationsHTTPServer: Sendable {
  typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
  typealias Listener = NIOAsyncChannel<Connection, Never>

  /// Lifecycle: idle → starting → running → stopped.
  enum State: Sendable {
    case idle
    case starting
    case running(Listener, Task<Void, Never>)
    case stopped
  }

  /// How long `/readyz` waits for the readiness closure before answering 503.
  public static let readinessTimeout = Duration.seconds(5)
  /// How long a connection may stay open without receiving anything.
  public static let idleTimeout = TimeAmount.seconds(60)

  /// The address to bind: `0.0.0.0` for the cluster, `127.0.0.1` for local use.
  public let host: String
  /// The requested port; 0 picks a free one (see ``start()``).
  public let port: Int
  private let registry: MetricsRegistry
  private let readiness: @Sendable () async -> Readiness
  private let group: any EventLoopGroup
  private let state = Mutex<State>(.idle)

  /// Creates a stopped server; nothing is bound until ``start()``.
  public init(
    host: String = "0.0.0.0", port: Int, registry: MetricsRegistry,
    readiness: @escaping @Sendable () async -> Readiness,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.host = host
    self.port = port
    self.registry = registry
    self.readiness = readiness
    self.group = group
  }

  /// A server dropped without ``stop()`` still closes its listener and ends its connections.
  deinit {
    state.withLock { state in
      if case .running(let listener, let serving) = state {
        listener.channel.close(promise: nil)
        serving.cancel()
      }
      state = .stopped
    }
  }

  /// Binds and starts serving; returns the bound port (useful with port 0).
  ///
  /// Throws ``OperationsHTTPServerError`` when already started, stopped, or the address cannot be bound.
  public func start() async throws -> Int {
    try state.withLock { state throws(OperationsHTTPServerError) in
      switch state {
      case .idle:
        state = .starting
      case .starting, .running:
        throw OperationsHTTPServerError(
          code: .alreadyStarted, message: "the operations HTTP server is running")
      case .stopped:
        throw OperationsHTTPServerError(code: .stopped, message: "the operations HTTP server was stopped")
      }
    }

    let listener: Listener
    do {
      listener = try await ServerBootstrap(group: group)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .serverChannelOption(.backlog, value: 128)
        .bind(host: host, port: port) { channel in
          channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(IdleStateHandler(readTimeout: Self.idleTimeout))
            try pipeline.addHandler(IdleConnectionCloser())
            try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
            return try Connection(wrappingChannelSynchronously: channel)
          }
        }
    } catch {
      state.withLock { $0 = .idle }
      throw OperationsHTTPServerError(
        code: .bindFailed, message: "cannot listen on \(host):\(port)", underlying: error)
    }

    guard let boundPort = listener.channel.localAddress?.port else {
      state.withLock { $0 = .idle }
      try? await listener.channel.close()
      throw OperationsHTTPServerError(code: .bindFailed, message: "listening socket on \(host) has no port")
    }

    let registry = self.registry
    let readiness = self.readiness
    let serving = Task { await Self.serve(listener, registry: registry, readiness: readiness) }
    let stoppedMeanwhile = state.withLock { state in
      guard case .starting = state else { return true }
      state = .running(listener, serving)
      return false
    }
    if stoppedMeanwhile {
      try? await listener.channel.close()
      serving.cancel()
      await serving.value
      throw OperationsHTTPServerError(code: .stopped, message: "the operations HTTP server was stopped")
    }
    return boundPort
  }

  /// Stops listening, closes every connection and waits until serving has ended. Safe to call twice.
  public func stop() async throws {
    let running: (Listener, Task<Void, Never>)? = state.withLock { state in
      switch state {
      case .idle:
        return nil
      case .starting, .stopped:
        state = .stopped
        return nil
      case .running(let listener, let serving):
        state = .stopped
        return (listener, serving)
      }
    }
    guard let (listener, serving) = running else { return }
    try? await listener.channel.close()
    serving.cancel()
    await serving.value
  }

  /// Accepts connections until the listener closes or the task is cancelled; one child task per connection.
  static func serve(
    _ listener: Listener, registry: MetricsRegistry, readiness: @escaping @Sendable () async -> Readiness
  ) async {
    await withDiscardingTaskGroup { group in
      do {
        try await listener.executeThenClose { connections in
          for try await connection in connections {
            group.addTask {
              await serveConnection(connection, registry: registry, readiness: readiness)
            }
          }
        }
      } catch {
        // The listener was closed by stop() or failed; open connections end with the task group.
      }
    }
  }

  /// Answers requests on one connection until the client closes it, asks to close, or the server stops.
  static func serveConnection(
    _ connection: Connection, registry: MetricsRegistry,
    readiness: @escaping @Sendable () async -> Readiness
  ) async {
    do {
      try await connection.executeThenClose { requests, responses in
        var pendingHead: HTTPRequestHead? = nil
        for try await part in requests {
          switch part {
          case .head(let head):
            pendingHead = head
          case .body:
            continue
          case .end:
            guard let head = pendingHead else { continue }
            pendingHead = nil
            let reply = await response(
              method: head.method, uri: head.uri, registry: registry, readiness: readiness)
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: reply.contentType)
            headers.add(name: "content-length", value: String(reply.body.readableBytes))
            headers.add(name: "cache-control", value: "no-store")
            for (name, value) in reply.extraHeaders { headers.add(name: name, value: value) }
            let keepAlive = head.isKeepAlive
            if !keepAlive { headers.add(name: "connection", value: "close") }
            let responseHead = HTTPResponseHead(version: head.version, status: reply.status, headers: headers)
            try await responses.write(
              contentsOf: [.head(responseHead), .body(.byteBuffer(reply.body)), .end(nil)])
            if !keepAlive { return }
          }
        }
      }
    } catch {
      // The client went away or the server is stopping; nothing to report per connection.
    }
  }
}
