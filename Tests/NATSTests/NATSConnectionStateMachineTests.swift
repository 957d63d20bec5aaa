import Foundation
import NATSWire
import NIOCore
import XCTest

@testable import NATS

/// The connection lifecycle as sequences of events and expected actions, with an injected clock
/// (`NIODeadline` values we choose) and no jitter.
final class NATSConnectionStateMachineTests: XCTestCase {
  typealias Machine = NATSConnectionStateMachine
  let a = NATSServerAddress(host: "127.0.0.1", port: 4222)
  let b = NATSServerAddress(host: "127.0.0.1", port: 4223)

  func makeMachine(
    _ servers: [NATSServerAddress], configure: (inout Machine.Configuration) -> Void = { _ in }
  ) -> Machine {
    var config = Machine.Configuration()
    config.reconnectJitter = .zero
    configure(&config)
    return Machine(servers: servers, configuration: config, jitter: { _ in .zero })
  }

  func at(_ ms: Int64) -> NIODeadline { .uptimeNanoseconds(UInt64(1_000_000_000 + ms * 1_000_000)) }

  func info(_ json: String) throws -> NATSServerInfo {
    try JSONDecoder().decode(NATSServerInfo.self, from: Data(json.utf8))
  }

  func testFirstConnectThenEstablished() throws {
    var m = makeMachine([a, b])
    XCTAssertEqual(m.start(now: at(0)), [.openConnection(a)])
    XCTAssertEqual(
      m.handshakeCompleted(info: try info("{}"), now: at(5)), [.established(server: a, isReconnect: false)])
    XCTAssertTrue(m.isConnected)
    XCTAssertEqual(m.reconnects, 0)
  }

  func testInitialConnectTriesEachServerOnceThenGivesUp() {
    var m = makeMachine([a, b])
    XCTAssertEqual(m.start(now: at(0)), [.openConnection(a)])
    let e1 = NATSError(.connectionFailed, "refused a")
    XCTAssertEqual(m.connectFailed(error: e1, now: at(1)), [.openConnection(b)])
    let e2 = NATSError(.connectionFailed, "refused b")
    let actions = m.connectFailed(error: e2, now: at(2))
    guard case .giveUp(let error)? = actions.first else { return XCTFail("expected giveUp, got \(actions)") }
    XCTAssertEqual(error.message, "refused b")
    XCTAssertEqual(m.state, .closed)
  }

  func testRetryOnFailedConnectUsesBackoff() {
    var m = makeMachine([a]) { $0.retryOnFailedConnect = true }
    _ = m.start(now: at(0))
    XCTAssertEqual(
      m.connectFailed(error: NATSError(.connectionFailed, "x"), now: at(0)),
      [.scheduleReconnect(after: .milliseconds(250))])
  }

  func testLostConnectionToSingleServerWaitsReconnectWaitThenBacksOffExponentially() throws {
    var m = makeMachine([a])
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    XCTAssertEqual(
      m.connectionLost(now: at(1000)), [.disconnected, .scheduleReconnect(after: .milliseconds(250))])
    XCTAssertEqual(m.state, .waitingToReconnect)
    XCTAssertEqual(m.reconnectTimerFired(now: at(1250)), [.openConnection(a)])
    // Failed attempts double the wait: 250, 500, 1000, 2000, 4000, then capped at 4000 ms.
    var now: Int64 = 1250
    for expected: Int64 in [250, 500, 1000, 2000, 4000, 4000] {
      XCTAssertEqual(
        m.connectFailed(error: NATSError(.connectionFailed, "down"), now: at(now)),
        [.scheduleReconnect(after: .milliseconds(expected))])
      now += expected
      XCTAssertEqual(m.reconnectTimerFired(now: at(now)), [.openConnection(a)])
    }
    XCTAssertEqual(
      m.handshakeCompleted(info: try info("{}"), now: at(now)), [.established(server: a, isReconnect: true)])
    XCTAssertEqual(m.reconnects, 1)
  }

  func testLostConnectionMovesToTheNextServerImmediately() throws {
    var m = makeMachine([a, b])
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    XCTAssertEqual(m.connectionLost(now: at(10)), [.disconnected, .openConnection(b)])
    XCTAssertEqual(
      m.handshakeCompleted(info: try info("{}"), now: at(12)), [.established(server: b, isReconnect: true)])
  }

  func testMaxReconnectAttemptsDropsServersAndGivesUp() throws {
    var m = makeMachine([a]) { $0.maxReconnectAttempts = 2 }
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    _ = m.connectionLost(now: at(0))
    var now: Int64 = 250
    XCTAssertEqual(m.reconnectTimerFired(now: at(now)), [.openConnection(a)])
    XCTAssertEqual(
      m.connectFailed(error: NATSError(.connectionFailed, "1"), now: at(now)),
      [.scheduleReconnect(after: .milliseconds(250))])
    now += 250
    XCTAssertEqual(m.reconnectTimerFired(now: at(now)), [.openConnection(a)])
    XCTAssertEqual(
      m.connectFailed(error: NATSError(.connectionFailed, "2"), now: at(now)),
      [.scheduleReconnect(after: .milliseconds(500))])
    now += 500
    XCTAssertEqual(m.reconnectTimerFired(now: at(now)), [.openConnection(a)])
    let last = m.connectFailed(error: NATSError(.connectionFailed, "3"), now: at(now))
    guard case .giveUp(let error)? = last.first else { return XCTFail("expected giveUp, got \(last)") }
    XCTAssertEqual(error.code, .noServers)
    XCTAssertTrue(m.pool.isEmpty)
  }

  func testKeepaliveDetectsStaleConnection() throws {
    var m = makeMachine([a]) { $0.maxPingsOutstanding = 2 }
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    XCTAssertEqual(m.pingTimerFired(), [.sendPing])
    m.pongReceived()
    XCTAssertEqual(m.pingsOutstanding, 0)
    XCTAssertEqual(m.pingTimerFired(), [.sendPing])
    XCTAssertEqual(m.pingTimerFired(), [.sendPing])
    XCTAssertEqual(m.pingTimerFired(), [.closeConnection(.staleConnection)])
    // The channel then closes and the machine reconnects.
    XCTAssertEqual(
      m.connectionLost(now: at(100)), [.disconnected, .scheduleReconnect(after: .milliseconds(250))])
  }

  func testPingTimerIgnoredWhileDisconnected() {
    var m = makeMachine([a])
    _ = m.start(now: at(0))
    XCTAssertEqual(m.pingTimerFired(), [])
  }

  func testConnectURLsAreDiscoveredIncludingIPv6() throws {
    var m = makeMachine([a])
    _ = m.start(now: at(0))
    let actions = m.handshakeCompleted(
      info: try info(#"{"connect_urls":["127.0.0.1:4222","127.0.0.1:5222","[::1]:6222"]}"#), now: at(0))
    XCTAssertEqual(
      actions, [.established(server: a, isReconnect: false), .discovered(["127.0.0.1:5222", "[::1]:6222"])])
    XCTAssertEqual(m.pool.map(\.address.hostPort), ["127.0.0.1:4222", "127.0.0.1:5222", "[::1]:6222"])
    XCTAssertEqual(m.pool.last?.address.host, "::1")
    // Async INFO with a new URL, and one already known.
    XCTAssertEqual(
      m.infoReceived(try info(#"{"connect_urls":["127.0.0.1:5222","127.0.0.1:7222"]}"#), now: at(1)),
      [.discovered(["127.0.0.1:7222"])])
  }

  func testDiscoveryCanBeIgnored() throws {
    var m = makeMachine([a]) { $0.ignoreDiscoveredServers = true }
    _ = m.start(now: at(0))
    let actions = m.handshakeCompleted(info: try info(#"{"connect_urls":["127.0.0.1:5222"]}"#), now: at(0))
    XCTAssertEqual(actions, [.established(server: a, isReconnect: false)])
    XCTAssertEqual(m.pool.count, 1)
  }

  func testLameDuckReconnectsProactivelyToAnotherServer() throws {
    var m = makeMachine([a, b])
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    XCTAssertEqual(
      m.infoReceived(try info(#"{"ldm":true}"#), now: at(50)),
      [.lameDuck(a), .closeConnection(.connectionClosed)])
    XCTAssertEqual(m.connectionLost(now: at(51)), [.disconnected, .openConnection(b)])
  }

  func testCloseWhileConnectedClosesChannelThenFinishes() throws {
    var m = makeMachine([a])
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    XCTAssertEqual(m.closeRequested(), [.closeConnection(.connectionClosed)])
    XCTAssertEqual(m.connectionLost(now: at(1)), [.closed])
    XCTAssertEqual(m.state, .closed)
    XCTAssertEqual(m.closeRequested(), [])
  }

  func testCloseWhileWaitingToReconnect() throws {
    var m = makeMachine([a])
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    _ = m.connectionLost(now: at(1))
    XCTAssertEqual(m.closeRequested(), [.closed])
    XCTAssertEqual(m.reconnectTimerFired(now: at(1000)), [])
  }

  func testCloseWhileConnectingAndTheAttemptFails() {
    var m = makeMachine([a])
    _ = m.start(now: at(0))
    XCTAssertEqual(m.closeRequested(), [.closeConnection(.connectionClosed)])
    XCTAssertEqual(m.connectFailed(error: NATSError(.connectionFailed, "x"), now: at(1)), [.closed])
  }

  func testReconnectDisabled() throws {
    var m = makeMachine([a]) { $0.allowReconnect = false }
    _ = m.start(now: at(0))
    _ = m.handshakeCompleted(info: try info("{}"), now: at(0))
    let actions = m.connectionLost(now: at(1))
    XCTAssertEqual(actions.first, .disconnected)
    guard case .giveUp? = actions.last else { return XCTFail("expected giveUp") }
  }

  func testServerURLParsing() throws {
    let plain = try NATSServerAddress(parsing: "nats://alice:s%40cret@example.com:4333")
    XCTAssertEqual(plain.host, "example.com")
    XCTAssertEqual(plain.port, 4333)
    XCTAssertEqual(plain.user, "alice")
    XCTAssertEqual(plain.password, "s@cret")
    XCTAssertFalse(plain.requiresTLS)
    let tls = try NATSServerAddress(parsing: "tls://[::1]:4443")
    XCTAssertEqual(tls.host, "::1")
    XCTAssertEqual(tls.hostPort, "[::1]:4443")
    XCTAssertTrue(tls.requiresTLS)
    XCTAssertTrue(tls.hostIsIPAddress)
    let token = try NATSServerAddress(parsing: "nats://s3cr3t@127.0.0.1")
    XCTAssertEqual(token.token, "s3cr3t")
    XCTAssertEqual(token.port, 4222)
    XCTAssertEqual(try NATSServerAddress(parsing: "10.0.0.1:4222").hostPort, "10.0.0.1:4222")
    XCTAssertThrowsError(try NATSServerAddress(parsing: "http://x:1"))
    XCTAssertThrowsError(try NATSServerAddress(parsing: "nats://host:99999"))
    XCTAssertThrowsError(try NATSServerAddress(parsing: ""))
    XCTAssertThrowsError(try NATSServerAddress(parsing: "nats://[::1"))
  }

  func testServerErrorsAreTyped() {
    XCTAssertEqual(NATSError.fromServer("Authorization Violation").code, .authorizationViolation)
    XCTAssertEqual(NATSError.fromServer("Stale Connection").code, .staleConnection)
    XCTAssertEqual(NATSError.fromServer("Maximum Payload Violation").code, .maxPayloadExceeded)
    let permission = NATSError.fromServer("Permissions Violation for Publish to \"secret\"")
    XCTAssertEqual(permission.code, .permissionsViolation)
    XCTAssertTrue(permission.serverKeepsConnection)
    XCTAssertFalse(NATSError.fromServer("Authorization Violation").serverKeepsConnection)
    XCTAssertEqual(NATSError.fromServer("Unknown Protocol Operation").code, .serverError)
  }
}
