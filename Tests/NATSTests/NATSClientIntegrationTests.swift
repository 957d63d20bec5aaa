import Foundation
import NATS
import NATSTestSupport
import NATSWire
import XCTest

/// The core client against a real nats-server started by each test on a free loopback port.
final class NATSClientIntegrationTests: XCTestCase {
  func testPublishSubscribeWithHeadersAndStatus() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let sub = try client.subscribe("orders.*")
    try await client.flush()
    var headers = NATSHeaders()
    headers.append("X-Trace", "abc")
    headers.append("X-Trace", "def")
    headers.append("mixed-Case", "kept")
    try await client.publish("orders.created", payload: Array("hello".utf8), headers: headers)
    try await client.publish("orders.updated", payload: [UInt8]())
    let received = try await collect(sub, count: 2)
    XCTAssertEqual(received[0].subject, "orders.created")
    XCTAssertEqual(received[0].payloadString, "hello")
    XCTAssertEqual(received[0].headers?.values(for: "X-Trace"), ["abc", "def"])
    XCTAssertEqual(received[0].headers?.pairs.map(\.name).contains("mixed-Case"), true)
    XCTAssertNil(received[1].headers)
    XCTAssertEqual(received[1].payload.readableBytes, 0)
    let rtt = try await client.rtt()
    XCTAssertGreaterThan(rtt, .zero)
    await client.close()
    XCTAssertTrue(client.isClosed)
  }

  /// Regression: the handshake could complete before the connect future's callback recorded the
  /// channel, and `connect` then never returned. Many quick connects make that interleaving likely.
  func testRepeatedConnectsAlwaysComplete() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let url = server.url
    for i in 0..<200 {
      let completed = try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
          let client = try await TestClient.connect(url)
          try await client.flush()
          await client.close()
          return true
        }
        group.addTask {
          try await Task.sleep(for: .seconds(10))
          return false
        }
        let first = try await group.next() ?? false
        group.cancelAll()
        return first
      }
      XCTAssertTrue(completed, "connect \(i) did not complete within 10 s")
      if !completed { break }
    }
  }

  func testQueueGroupsShareMessages() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let worker1 = try client.subscribe("jobs", queue: "workers")
    let worker2 = try client.subscribe("jobs", queue: "workers")
    let audit = try client.subscribe("jobs")
    try await client.flush()
    for i in 0..<200 { try await client.publish("jobs", payload: Array("\(i)".utf8)) }
    try await client.flush()
    let all = try await collect(audit, count: 200)
    XCTAssertEqual(all.count, 200)
    try await Task.sleep(for: .milliseconds(200))
    XCTAssertEqual(
      worker1.pendingMessages + worker2.pendingMessages, 200, "each message to exactly one worker")
    XCTAssertGreaterThan(worker1.pendingMessages, 0)
    XCTAssertGreaterThan(worker2.pendingMessages, 0)
    await client.close()
  }

  /// The request slots: concurrent requests each get their own reply, a cancelled request ends
  /// with CancellationError, and closing the client fails a pending request instead of hanging.
  func testConcurrentCancelledAndClosedRequests() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let responder = try await TestClient.connect(server.url)
    let requester = try await TestClient.connect(server.url)
    let task = try startEchoResponder(responder)
    _ = try responder.subscribe("silent")
    try await responder.flush()

    let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
      for n in 0..<200 {
        group.addTask { (n, try await requester.request("echo", payload: Array("\(n)".utf8)).payloadString) }
      }
      var all: [Int: String] = [:]
      for try await (n, text) in group { all[n] = text }
      return all
    }
    XCTAssertEqual(replies.count, 200)
    XCTAssertTrue(replies.allSatisfy { $0.value == "\($0.key)" }, "every reply routed to its own request")

    let cancelled = Task { try await requester.request("silent", payload: [UInt8](), timeout: .seconds(60)) }
    try await Task.sleep(for: .milliseconds(100))
    cancelled.cancel()
    do {
      _ = try await cancelled.value
      XCTFail("expected cancellation")
    } catch {
      XCTAssertTrue(error is CancellationError, "\(error)")
    }

    let pending = Task { try await requester.request("silent", payload: [UInt8](), timeout: .seconds(60)) }
    try await Task.sleep(for: .milliseconds(100))
    await requester.close()
    do {
      _ = try await pending.value
      XCTFail("expected a closed-connection error")
    } catch let error as NATSError {
      XCTAssertNotEqual(error.code, .timeout, "failed by the close, not by its 60 s timeout")
    }
    task.cancel()
    await responder.close()
  }

  /// A task that prefers the client's executor runs on the connection's event loop, before and
  /// after a request's round trip.
  func testTaskExecutorRunsOnTheConnectionsEventLoop() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let service = try client.subscribe("where")
    let responder = Task {
      for try await request in service {
        if let reply = request.replyTo { try await client.publish(reply, payload: Array("here".utf8)) }
      }
    }
    try await client.flush()
    let loop = client.taskExecutor.eventLoop
    XCTAssertFalse(loop.inEventLoop)
    let (before, reply, after) = try await withTaskExecutorPreference(client.taskExecutor) {
      let before = loop.inEventLoop
      let reply = try await client.request("where", payload: [UInt8]())
      return (before, reply.payloadString, loop.inEventLoop)
    }
    XCTAssertTrue(before)
    XCTAssertEqual(reply, "here")
    XCTAssertTrue(after, "resumed on the event loop after the reply")
    responder.cancel()
    await client.close()
  }

  func testRequestReplyNoRespondersAndTimeout() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let responder = try await TestClient.connect(server.url)
    let requester = try await TestClient.connect(server.url)
    let service = try responder.subscribe("math.double")
    let task = Task {
      for try await request in service {
        let n = Int(request.payloadString) ?? 0
        if let reply = request.replyTo { try await responder.publish(reply, payload: Array("\(n * 2)".utf8)) }
      }
    }
    try await responder.flush()
    for n in [1, 21, 500] {
      let reply = try await requester.request("math.double", payload: Array("\(n)".utf8))
      XCTAssertEqual(reply.payloadString, "\(n * 2)")
    }
    do {
      _ = try await requester.request("nobody.home", payload: Array("x".utf8))
      XCTFail("expected no responders")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .noResponders)
    }
    let silent = try responder.subscribe("silent")
    try await responder.flush()
    do {
      _ = try await requester.request("silent", payload: Array("x".utf8), timeout: .milliseconds(300))
      XCTFail("expected timeout")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .timeout)
      XCTAssertEqual(error.message, "no reply on 'silent' within \(Duration.milliseconds(300))")
    }
    XCTAssertEqual(silent.receivedMessages, 1)
    task.cancel()
    await requester.close()
    await responder.close()
  }

  /// Regression: the request/reply wildcard subscription was `<inboxPrefix>.*`, which every
  /// `newInbox()` matched, so once a client had made one request the server sent each message for
  /// an inbox (every pulled JetStream message) twice. Checked on the client's own counters, which
  /// count each MSG frame the server sends.
  func testInboxMessagesArriveOnceAfterARequest() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let responder = try await TestClient.connect(server.url)
    let client = try await TestClient.connect(server.url)
    let task = try startEchoResponder(responder)
    try await responder.flush()
    let reply = try await client.request("echo", payload: Array("hi".utf8))
    XCTAssertEqual(reply.payloadString, "hi")
    XCTAssertEqual(client.statistics.inMessages, 1)
    XCTAssertEqual(client.statistics.inBytes, 2)

    let inbox = client.newInbox()
    XCTAssertTrue(inbox.hasPrefix(client.inboxPrefix + "."))
    let sub = try client.subscribe(inbox)
    try await client.flush()
    for i in 0..<10 { try await responder.publish(inbox, payload: Array("m\(i)".utf8)) }
    let received = try await collect(sub, count: 10)
    XCTAssertEqual(received.map(\.payloadString), (0..<10).map { "m\($0)" })
    // A round trip after the last publish: any second copy would have arrived before the PONG.
    try await responder.flush()
    try await client.flush()
    XCTAssertEqual(client.statistics.inMessages, 11, "one request reply and ten inbox messages, each once")
    XCTAssertEqual(client.statistics.inBytes, 2 + 20)
    task.cancel()
    await client.close()
    await responder.close()
  }

  /// A server restart in the middle of a publish stream: publishes made while the client is
  /// disconnected are buffered and arrive exactly once after the reconnect.
  func testServerRestartLosesNoBufferedPublish() async throws {
    let server = try await NATSServerProcess.start(jetStream: true)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let events = EventRecorder(client)
    try await RawJetStream.createStream(client, name: "RESTART", subjects: ["restart.>"])
    for i in 0..<500 { try await client.publish("restart.a", payload: Array("before-\(i)".utf8)) }
    try await client.flush()
    // Stored before the stop (JetStream ingests core publishes asynchronously).
    let stored = ContinuousClock.now + .seconds(20)
    while try await RawJetStream.messageCount(client, stream: "RESTART") < 500, ContinuousClock.now < stored {
      try await Task.sleep(for: .milliseconds(20))
    }
    server.stop()
    await events.wait { $0.isDisconnected }
    XCTAssertFalse(client.isConnected)
    for i in 0..<500 { try await client.publish("restart.b", payload: Array("during-\(i)".utf8)) }
    XCTAssertGreaterThan(client.bufferedBytes, 500 * 10)
    try await server.restart()
    await events.wait { $0.isReconnected }
    try await client.flush()
    // The PONG proves the server received every publish; JetStream stores them asynchronously, so
    // wait (bounded) for the stream to catch up, then make sure nothing arrives twice.
    var count = 0
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
      count = try await RawJetStream.messageCount(client, stream: "RESTART")
      if count >= 1000 { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    try await Task.sleep(for: .milliseconds(300))
    count = try await RawJetStream.messageCount(client, stream: "RESTART")
    XCTAssertEqual(count, 1000, "every buffered publish arrives exactly once")
    XCTAssertEqual(client.statistics.reconnects, 1)
    await client.close()
  }

  /// Regression: an error on an established connection (e.g. "connection reset by peer" when the
  /// server is killed while we write) used to be reported as a failed connect attempt, and the
  /// client stayed "connected" to a dead socket forever. It must reconnect.
  func testReconnectsAfterTheServerIsKilledWhilePublishing() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) { $0.reconnectBufferSize = 64 * 1024 * 1024 }
    let events = EventRecorder(client)
    let payload = [UInt8](repeating: 7, count: 4096)
    let publisher = Task {
      for _ in 0..<20_000 {
        do { try await client.publish("firehose.kill", payload: payload) } catch { return }
      }
    }
    try await Task.sleep(for: .milliseconds(50))
    server.kill()
    await events.wait { $0.isDisconnected }
    try await server.restart()
    await events.wait(timeout: .seconds(20)) { $0.isReconnected }
    publisher.cancel()
    _ = await publisher.value
    let rtt = try await client.flush(timeout: .seconds(10))
    XCTAssertGreaterThan(rtt, .zero)
    XCTAssertTrue(client.isConnected)
    await client.close()
  }

  func testSubscriptionsAreRestoredWithQueueGroupAndRemainingMax() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let publisher = try await TestClient.connect(server.url)
    let events = EventRecorder(client)
    let limited = try client.subscribe("limited")
    try limited.unsubscribe(after: 10)
    let q1 = try client.subscribe("work", queue: "pool")
    let q2 = try client.subscribe("work", queue: "pool")
    try await client.flush()
    for _ in 0..<3 { try await publisher.publish("limited", payload: Array("x".utf8)) }
    try await publisher.flush()
    _ = try await collect(limited, count: 3)
    try await server.restart()
    await events.wait { $0.isReconnected }
    try await client.flush()
    let publisher2 = try await TestClient.connect(server.url)
    for _ in 0..<20 { try await publisher2.publish("limited", payload: Array("y".utf8)) }
    for _ in 0..<50 { try await publisher2.publish("work", payload: Array("w".utf8)) }
    try await publisher2.flush()
    try await client.flush()
    try await Task.sleep(for: .milliseconds(200))
    XCTAssertEqual(limited.receivedMessages, 10, "remaining max (7) restored after reconnect")
    XCTAssertEqual(q1.pendingMessages + q2.pendingMessages, 50, "queue group restored: each message once")
    await client.close()
    await publisher.close()
    await publisher2.close()
  }

  func testReconnectBufferOverflowIsAnError() async throws {
    let (server, client, accepted, failure) = try await overflowReconnectBuffer { client in
      try await client.publish("buffered", payload: [UInt8](repeating: 1, count: 100))
    }
    defer { server.stop() }
    XCTAssertEqual(failure?.code, .reconnectBufferExceeded)
    XCTAssertGreaterThan(accepted, 10)
    XCTAssertLessThan(accepted, 41)
    await client.close()
  }

  func testPayloadOverMaxPayloadIsRefusedBeforeSending() async throws {
    let server = try await NATSServerProcess.start(jetStream: false, config: "max_payload: 1024")
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    XCTAssertEqual(client.serverInfo?.maxPayload, 1024)
    do {
      try await client.publish("big", payload: [UInt8](repeating: 0, count: 2000))
      XCTFail("expected maxPayloadExceeded")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .maxPayloadExceeded)
    }
    try await client.publish("small", payload: [UInt8](repeating: 0, count: 1000))
    try await client.flush()
    XCTAssertTrue(client.isConnected)
    await client.close()
  }

  func testSlowConsumerIsVisible() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let events = EventRecorder(client)
    let sub = try client.subscribe("firehose", limits: NATSPendingLimits(messages: 10, bytes: 1 << 20))
    try await client.flush()
    for _ in 0..<100 { try await client.publish("firehose", payload: Array("m".utf8)) }
    try await client.flush()
    await events.wait { $0.isSlowConsumer }
    XCTAssertEqual(sub.droppedMessages, 90)
    var iterator = sub.makeAsyncIterator()
    do {
      _ = try await iterator.next()
      XCTFail("expected the slow consumer error first")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .slowConsumer)
      XCTAssertTrue(error.message.contains("90"))
    }
    let rest = try await collect(sub, count: 10)
    XCTAssertEqual(rest.count, 10)
    await client.close()
  }

  func testDrainDeliversPendingThenCloses() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let publisher = try await TestClient.connect(server.url)
    let sub = try client.subscribe("drain.me")
    try await client.flush()
    for i in 0..<100 { try await publisher.publish("drain.me", payload: Array("\(i)".utf8)) }
    try await publisher.flush()
    try await client.flush()
    let consumer = Task { () -> Int in
      var n = 0
      for try await _ in sub { n += 1 }
      return n
    }
    try await client.drain(timeout: .seconds(5))
    let consumed = try await consumer.value
    XCTAssertEqual(consumed, 100)
    XCTAssertTrue(client.isClosed)
    await publisher.close()
  }

  func testPermissionsViolationKeepsConnectionOpen() async throws {
    let config = """
      authorization {
        users = [ { user: "app", password: "pw", permissions: { publish: { allow: [">"], deny: ["secret"] } } } ]
      }
      """
    let server = try await NATSServerProcess.start(jetStream: false, config: config)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) {
      $0.auth = .userPassword(user: "app", password: "pw")
    }
    let events = EventRecorder(client)
    try await client.publish("secret", payload: Array("x".utf8))
    await events.wait { $0.permissionsError }
    try await client.flush()
    XCTAssertTrue(client.isConnected)
    await client.close()
  }

  func testClusterDiscoveryFromConnectURLsAndFailover() async throws {
    let cluster = try await NATSServerCluster.start(size: 3, jetStream: false)
    defer { cluster.stop() }
    let first = cluster.servers[0]
    let client = try await TestClient.connect(first.url)
    let events = EventRecorder(client)
    let deadline = ContinuousClock.now + .seconds(10)
    while client.knownServers.count < 3, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    XCTAssertEqual(Set(client.knownServers), Set(cluster.servers.map { "127.0.0.1:\($0.port)" }))
    first.stop()
    await events.wait { $0.isReconnected }
    let now = try XCTUnwrap(client.connectedServer)
    XCTAssertFalse(now.hasSuffix(":\(first.port)"))
    try await client.flush()
    await client.close()
  }

  func testLameDuckModeMovesToAnotherServer() async throws {
    let cluster = try await NATSServerCluster.start(size: 2, jetStream: false)
    defer { cluster.stop() }
    let a = cluster.servers[0]
    let client = try await TestClient.connect(a.url)
    let events = EventRecorder(client)
    let deadline = ContinuousClock.now + .seconds(10)
    while client.knownServers.count < 2, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    a.enterLameDuckMode()
    await events.wait(timeout: .seconds(20)) { $0.isLameDuck }
    await events.wait(timeout: .seconds(20)) { $0.isReconnected }
    XCTAssertEqual(client.connectedServer.map { $0.hasSuffix(":\(cluster.servers[1].port)") }, true)
    await client.close()
  }
}
