import NIOCore
import NIOHTTP1

extension OperationsHTTPServer {
  /// A response before it is written: status, content type, body and any extra headers.
  struct Reply: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: ByteBuffer
    var extraHeaders: [(String, String)] = []

    static func text(_ status: HTTPResponseStatus, _ text: String) -> Reply {
      Reply(status: status, contentType: "text/plain; charset=utf-8", body: ByteBuffer(string: text))
    }
  }

  /// The paths served; all of them answer `GET` only.
  static let knownPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

  /// Routes one request: the path (query string ignored) picks the endpoint, then the method is checked.
  static func response(
    method: HTTPMethod, uri: String, registry: MetricsRegistry,
    readiness: @escaping @Sendable () async -> Readiness
  ) async -> Reply {
    let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(
      String.init)
    guard let path, knownPaths.contains(path) else {
      return .text(.notFound, "not found\n")
    }
    guard method == .GET else {
      var reply = Reply.text(.methodNotAllowed, "method not allowed\n")
      reply.extraHeaders = [("allow", "GET")]
      return reply
    }
    switch path {
    case "/healthz":
      return .text(.ok, "ok\n")
    case "/readyz":
      switch await checkReadiness(readiness, timeout: readinessTimeout) {
      case .ready:
        return .text(.ok, "ok\n")
      case .notReady(let reasons):
        return Reply(
          status: .serviceUnavailable, contentType: "application/json",
          body: ByteBuffer(string: JSONText.array(reasons) + "\n"))
      }
    default:
      return Reply(
        status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8",
        body: ByteBuffer(string: registry.render()))
    }
  }

  /// Runs `readiness` with a deadline: past `timeout` the answer is not ready and the check is cancelled.
  static func checkReadiness(
    _ readiness: @escaping @Sendable () async -> Readiness, timeout: Duration
  ) async -> Readiness {
    await withTaskGroup(of: Readiness?.self) { group in
      group.addTask { await readiness() }
      group.addTask {
        do {
          try await Task.sleep(for: timeout)
        } catch {
          return nil
        }
        return .notReady(["readiness check did not answer within \(timeout)"])
      }
      var answer = Readiness.notReady(["readiness check was cancelled"])
      while let next = await group.next() {
        if let next {
          answer = next
          break
        }
      }
      group.cancelAll()
      return answer
    }
  }
}
