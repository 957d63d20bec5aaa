import NATS
import NIOConcurrencyHelpers
import XCTest

/// `NATSClient.connect` with `retryOnFailedConnect` and unlimited attempts retries until a server
/// answers; cancelling the task that waits for it is how a caller gives up (a service stopped
/// before it ever connected). It must throw `CancellationError` and leave nothing retrying.
final class NATSConnectCancellationTests: XCTestCase {
  func testCancellingARetryingConnectStopsItsAttempts() async throws {
    let listener = try await ScriptedNATSServer.startClosingEveryConnection()
    var options = NATSClientOptions(servers: [listener.url])
    options.retryOnFailedConnect = true
    options.maxReconnectAttempts = -1
    options.reconnectWait = .milliseconds(20)
    options.reconnectJitter = .zero
    let outcome = Outcome()
    let connect = Task { await outcome.record { try await NATSClient.connect(options) } }

    // It is retrying: several connections accepted (and closed before INFO), none succeeded.
    try await eventually("several attempts", timeout: .seconds(10)) { listener.connections >= 3 }
    XCTAssertNil(outcome.error)
    connect.cancel()
    try await eventually("connect gave up", timeout: .seconds(10)) { outcome.error != nil }
    XCTAssertTrue(outcome.error is CancellationError, "\(String(describing: outcome.error))")
    // No attempt goes on in the background: at 20 ms apart, a second would show ~25 more.
    let after = listener.connections
    try await Task.sleep(for: .milliseconds(500))
    XCTAssertEqual(listener.connections, after, "the client kept reconnecting after the cancellation")
    await listener.stop()
  }

  func testConnectInAnAlreadyCancelledTaskMakesNoAttempt() async throws {
    let listener = try await ScriptedNATSServer.startClosingEveryConnection()
    var options = NATSClientOptions(servers: [listener.url])
    options.retryOnFailedConnect = true
    options.maxReconnectAttempts = -1
    let outcome = Outcome()
    Task {
      withUnsafeCurrentTask { $0?.cancel() }
      await outcome.record { try await NATSClient.connect(options) }
    }
    try await eventually("connect gave up", timeout: .seconds(10)) { outcome.error != nil }
    XCTAssertTrue(outcome.error is CancellationError, "\(String(describing: outcome.error))")
    try await Task.sleep(for: .milliseconds(200))
    XCTAssertEqual(listener.connections, 0)
    await listener.stop()
  }

  /// Polls `condition` every 20 ms until it holds or `timeout` passes.
  private func eventually(
    _ what: String, timeout: Duration, _ condition: () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if try await condition() { return }
      try await Task.sleep(for: .milliseconds(20))
    }
    XCTFail("timed out waiting for \(what)")
  }
}

/// How a connect ended: the error it threw (a client it returned is closed and counted as a
/// failure of the test, since no server ever answers).
private final class Outcome: Sendable {
  private struct Connected: Error {}
  private let box = NIOLockedValueBox<(any Error)?>(nil)

  var error: (any Error)? { box.withLockedValue { $0 } }

  func record(_ connect: () async throws -> NATSClient) async {
    do {
      let client = try await connect()
      await client.close()
      box.withLockedValue { $0 = Connected() }
    } catch {
      box.withLockedValue { $0 = error }
    }
  }
}
