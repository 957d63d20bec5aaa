import FleetKit
import Foundation
import NATS
import NATSTestSupport
import NATSWire
import XCTest

/// `pub`, `sub`, `request`, `server ping` and `server info` run in-process against a real server.
final class CoreVerbsIntegrationTests: XCTestCase {
  /// Starts `sub` in the background and returns once it is subscribed (it registers for Ctrl-C
  /// after its SUB was flushed to the server).
  private func startSubscriber(
    _ arguments: [String]
  ) async throws -> (task: Task<Void, any Error>, capture: FleetConsoleCapture) {
    let (console, capture) = FleetConsole.capturing()
    let task = Task { try await FleetTest.run(arguments, console: console) }
    let subscribed = await FleetTest.eventually { capture.hasInterruptHandler }
    if !subscribed {
      task.cancel()
      throw FleetTest.TestFailure(description: "sub did not subscribe: \(capture.error)")
    }
    return (task, capture)
  }

  func testPubAndSubEndToEnd() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let (subscriber, subCapture) = try await startSubscriber(
      ["sub", "fleet.test.>", "--count", "3", "--headers", "--wait", "20", "--server", server.url])
    let pub = try await FleetTest.run(
      [
        "pub", "fleet.test.a", "hello world", "--count", "2", "--header", "X-Trace:abc", "--server",
        server.url,
      ])
    XCTAssertEqual(pub.outputLines, ["Published 2 message(s) to fleet.test.a"])
    try await FleetTest.run(
      ["pub", "fleet.test.b", "--reply", "answers.here", "--server", server.url],
      input: Array("from stdin".utf8))
    try await FleetTest.withDeadline(20, "sub to finish") { try await subscriber.value }

    let output = subCapture.output
    XCTAssertTrue(output.contains("[#1] Received on \"fleet.test.a\""), output)
    XCTAssertTrue(output.contains("[#2] Received on \"fleet.test.a\""), output)
    XCTAssertTrue(output.contains("[#3] Received on \"fleet.test.b\" with reply \"answers.here\""), output)
    XCTAssertTrue(output.contains("X-Trace: abc"), output)
    XCTAssertEqual(output.components(separatedBy: "hello world").count - 1, 2)
    XCTAssertTrue(output.contains("from stdin"), output)
    XCTAssertTrue(subCapture.error.contains("3 message(s) received"), subCapture.error)
  }

  func testSubRawAndQueueGroup() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let (subscriber, capture) = try await startSubscriber(
      [
        "sub", "raw.subject", "--queue", "workers", "--raw", "--count", "2", "--wait", "20", "--server",
        server.url,
      ])
    try await FleetTest.run(["pub", "raw.subject", "one", "--server", server.url])
    try await FleetTest.run(["pub", "raw.subject", "two", "--server", server.url])
    try await FleetTest.withDeadline(20, "sub to finish") { try await subscriber.value }
    XCTAssertEqual(capture.output, "one\ntwo\n")
  }

  func testSubStopsOnCtrlC() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let (subscriber, capture) = try await startSubscriber(["sub", "never.published", "--server", server.url])
    XCTAssertTrue(capture.error.contains("Subscribed to never.published"), capture.error)
    capture.interrupt()
    try await FleetTest.withDeadline(10, "sub to stop after Ctrl-C") { try await subscriber.value }
    XCTAssertTrue(capture.error.contains("0 message(s) received"), capture.error)
    XCTAssertFalse(capture.hasInterruptHandler, "the handler is removed when sub ends")
  }

  func testRequestPrintsTheReply() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let responder = try await FleetTest.client(server)
    let service = try responder.subscribe("svc.echo")
    try await responder.flush()
    let serving = Task {
      for try await request in service {
        guard let reply = request.replyTo else { continue }
        var headers = NATSHeaders()
        headers.append("X-Seen", request.headers?["X-In"] ?? "none")
        try await responder.publish(
          reply, payload: Array("echo: \(request.payloadString)".utf8), headers: headers)
      }
    }
    defer { serving.cancel() }
    let capture = try await FleetTest.run(
      ["request", "svc.echo", "ping", "--header", "X-In:42", "--server", server.url, "--timeout", "5"])
    XCTAssertEqual(capture.output, "X-Seen: 42\necho: ping\n")
    let raw = try await FleetTest.run(["request", "svc.echo", "pong", "--raw", "--server", server.url])
    XCTAssertEqual(raw.output, "echo: pong\n")
    await responder.close()
  }

  func testRequestWithoutRespondersFailsWithExitCode1() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    do {
      try await FleetTest.run(["request", "nobody.home", "x", "--server", server.url])
      XCTFail("expected no responders")
    } catch let error as FleetError {
      XCTAssertEqual(error.code, .noResponders)
    }
    let (code, capture) = try await FleetTest.execute(["request", "nobody.home", "x", "--server", server.url])
    XCTAssertEqual(code, 1)
    XCTAssertEqual(capture.error, "fleet: error: no responders on 'nobody.home'\n")
    XCTAssertEqual(capture.output, "")
  }

  func testServerPingAndInfo() async throws {
    let server = try await NATSServerProcess.start(jetStream: true, name: "fleet-ping")
    defer { server.stop() }
    let ping = try await FleetTest.run(["server", "ping", "--count", "4", "--server", server.url])
    let lines = ping.outputLines
    XCTAssertTrue(lines.contains("Server name: fleet-ping"), ping.output)
    XCTAssertTrue(lines.contains("JetStream: enabled"), ping.output)
    XCTAssertTrue(lines.contains { $0.hasPrefix("Server ID: N") }, ping.output)
    XCTAssertTrue(lines.contains { $0.hasPrefix("Version: 2.") }, ping.output)
    XCTAssertEqual(lines.filter { $0.hasPrefix("rtt #") }.count, 4, ping.output)
    XCTAssertTrue(lines.last?.hasPrefix("rtt min/avg/max: ") == true, ping.output)

    let info = try await FleetTest.run(["server", "info", "--server", server.url])
    XCTAssertTrue(info.outputLines.contains { $0.hasPrefix("Server name:") && $0.hasSuffix("fleet-ping") })
    XCTAssertTrue(info.outputLines.contains { $0.hasPrefix("JetStream:") && $0.hasSuffix("true") })
    XCTAssertTrue(info.outputLines.contains { $0.hasPrefix("Max payload:") })
    let json = try await FleetTest.run(["server", "info", "--json", "--server", server.url])
    XCTAssertTrue(json.output.contains("\"server_name\" : \"fleet-ping\""), json.output)
  }

  func testUnreachableServerIsAConnectionError() async throws {
    let port = try FreePort.next()
    let (code, capture) = try await FleetTest.execute(
      ["server", "ping", "--server", "nats://127.0.0.1:\(port)", "--timeout", "2"])
    XCTAssertEqual(code, 1)
    XCTAssertTrue(
      capture.error.hasPrefix("fleet: error: cannot connect to nats://127.0.0.1:\(port)"), capture.error)
  }
}
