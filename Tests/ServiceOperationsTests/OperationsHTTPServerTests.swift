import Foundation
import NIOCore
import NIOPosix
import Synchronization
import XCTest

@testable import ServiceOperations

final class OperationsHTTPServerTests: XCTestCase {
  /// Readiness the test can flip.
  final class ReadinessSwitch: Sendable {
    let current = Mutex<Readiness>(.ready)
    func set(_ value: Readiness) { current.withLock { $0 = value } }
    func get() -> Readiness { current.withLock { $0 } }
  }

  private func startServer(
    registry: MetricsRegistry = MetricsRegistry(), readiness: ReadinessSwitch = ReadinessSwitch()
  ) async throws -> (OperationsHTTPServer, Int) {
    let server = OperationsHTTPServer(
      host: "127.0.0.1", port: 0, registry: registry, readiness: { readiness.get() })
    let port = try await server.start()
    XCTAssertGreaterThan(port, 0)
    return (server, port)
  }

  func testHealthzMetricsNotFoundAndMethodNotAllowed() async throws {
    let registry = MetricsRegistry()
    registry.counter("events_total", help: "Events.", labels: ["outcome": "ack"]).increment(by: 3)
    let (server, port) = try await startServer(registry: registry)

    let health = try await HTTPTestClient.request(port: port, path: "/healthz")
    XCTAssertEqual(health.status, 200)
    XCTAssertEqual(health.body, "ok\n")
    XCTAssertEqual(health.headers["connection"], "close")

    let metrics = try await HTTPTestClient.request(port: port, path: "/metrics")
    XCTAssertEqual(metrics.status, 200)
    XCTAssertEqual(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
    XCTAssertEqual(metrics.body, registry.render())
    XCTAssertTrue(metrics.body.contains("events_total{outcome=\"ack\"} 3\n"))

    let withQuery = try await HTTPTestClient.request(port: port, path: "/healthz?verbose=1")
    XCTAssertEqual(withQuery.status, 200)

    let missing = try await HTTPTestClient.request(port: port, path: "/nope")
    XCTAssertEqual(missing.status, 404)

    for method in ["POST", "DELETE", "HEAD"] {
      let refused = try await HTTPTestClient.request(port: port, method: method, path: "/healthz")
      XCTAssertEqual(refused.status, 405, method)
      XCTAssertEqual(refused.headers["allow"], "GET", method)
    }

    try await server.stop()
  }

  func testReadyzFollowsReadiness() async throws {
    let readiness = ReadinessSwitch()
    let (server, port) = try await startServer(readiness: readiness)

    let ready = try await HTTPTestClient.request(port: port, path: "/readyz")
    XCTAssertEqual(ready.status, 200)
    XCTAssertEqual(ready.body, "ok\n")

    let reasons = ["nats: disconnected", "ledger \"busy\"\nretrying"]
    readiness.set(.notReady(reasons))
    let notReady = try await HTTPTestClient.request(port: port, path: "/readyz")
    XCTAssertEqual(notReady.status, 503)
    XCTAssertEqual(notReady.headers["content-type"], "application/json")
    let decoded = try JSONSerialization.jsonObject(with: Data(notReady.body.utf8)) as? [String]
    XCTAssertEqual(decoded, reasons)

    readiness.set(.ready)
    let readyAgain = try await HTTPTestClient.request(port: port, path: "/readyz")
    XCTAssertEqual(readyAgain.status, 200)

    try await server.stop()
  }

  func testKeepAliveServesSeveralRequestsOnOneConnection() async throws {
    let (server, port) = try await startServer()
    let text = try await HTTPTestClient.exchange(
      port: port,
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    let responses = HTTPTestClient.parse(text)
    XCTAssertEqual(responses.map(\.status), [200, 404, 200], text)
    XCTAssertNil(responses.first?.headers["connection"])
    try await server.stop()
  }

  func testHTTP10ClosesAfterTheResponse() async throws {
    let (server, port) = try await startServer()
    let text = try await HTTPTestClient.exchange(port: port, "GET /healthz HTTP/1.0\r\n\r\n")
    let responses = HTTPTestClient.parse(text)
    XCTAssertEqual(responses.map(\.status), [200])
    XCTAssertTrue(text.hasPrefix("HTTP/1.0 200 OK\r\n"), text)
    try await server.stop()
  }

  func testLifecycle() async throws {
    let (server, port) = try await startServer()
    do {
      _ = try await server.start()
      XCTFail("second start succeeded")
    } catch let error as OperationsHTTPServerError {
      XCTAssertEqual(error.code, .alreadyStarted)
    }

    let rival = OperationsHTTPServer(
      host: "127.0.0.1", port: port, registry: MetricsRegistry(), readiness: { .ready })
    do {
      _ = try await rival.start()
      XCTFail("bound a port already in use")
      try await rival.stop()
    } catch let error as OperationsHTTPServerError {
      XCTAssertEqual(error.code, .bindFailed)
      XCTAssertNotNil(error.underlying)
    }

    try await server.stop()
    try await server.stop()
    do {
      _ = try await HTTPTestClient.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
      XCTFail("connected after stop")
    } catch is HTTPTestClient.Timeout {
      XCTFail("connection neither refused nor answered after stop")
    } catch {
      // Connection refused: the listener is gone.
    }
    do {
      _ = try await server.start()
      XCTFail("restarted a stopped server")
    } catch let error as OperationsHTTPServerError {
      XCTAssertEqual(error.code, .stopped)
    }
  }

  func testStopClosesIdleKeepAliveConnections() async throws {
    let (server, port) = try await startServer()
    try await withDeadline(.seconds(10)) {
      let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
          channel.eventLoop.makeCompletedFuture {
            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
          }
        }
      try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        var chunks = inbound.makeAsyncIterator()
        var received = ""
        while !received.hasSuffix("\r\n\r\nok\n"), let chunk = try await chunks.next() {
          received += String(buffer: chunk)
        }
        XCTAssertEqual(HTTPTestClient.parse(received).map(\.status), [200])
        // The connection is idle but kept alive; stop() must close it.
        try await server.stop()
        let afterStop = try await chunks.next()
        XCTAssertNil(afterStop)
      }
    }
  }

  func testReadinessCheckHasADeadline() async {
    let slow: @Sendable () async -> Readiness = {
      try? await Task.sleep(for: .seconds(60))
      return .ready
    }
    let answer = await OperationsHTTPServer.checkReadiness(slow, timeout: .milliseconds(20))
    guard case .notReady(let reasons) = answer else {
      return XCTFail("a readiness check past its deadline counted as ready")
    }
    XCTAssertEqual(reasons.count, 1)
    XCTAssertTrue(reasons[0].contains("did not answer"))

    let quick = await OperationsHTTPServer.checkReadiness({ .notReady(["x"]) }, timeout: .seconds(30))
    XCTAssertEqual(quick, .notReady(["x"]))
  }
}
