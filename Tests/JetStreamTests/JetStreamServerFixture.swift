import Foundation
import JetStream
import NATS
import NATSTestSupport
import XCTest

/// A real nats-server (own port and store dir) plus a connected client, per test.
struct JetStreamServerFixture {
  let server: NATSServerProcess
  let client: NATSClient
  let js: JetStreamContext
  let progress: FixtureProgress

  /// Records how far the test got (reported if it runs into its deadline).
  func mark(_ step: String) { progress.mark(step) }

  /// Starts a server and a client, runs `body`, then closes both; the whole run (connect and
  /// close included) is bounded by `timeout` even if something inside ignores cancellation.
  static func run(
    _ name: String, config: String? = nil, timeout: Duration = .seconds(60),
    _ body: @escaping @Sendable (JetStreamServerFixture) async throws -> Void
  ) async throws {
    let server = try await NATSServerProcess.start(config: config, name: name)
    defer { server.stop() }
    let progress = FixtureProgress()
    try await withDeadline(timeout, name, progress: progress) {
      progress.mark("connecting")
      var options = NATSClientOptions(servers: [server.url])
      options.name = name
      options.maxReconnectAttempts = 120
      options.reconnectWait = .milliseconds(100)
      options.reconnectMaxWait = .milliseconds(500)
      let client = try await connect(options, progress: progress)
      let fixture = JetStreamServerFixture(
        server: server, client: client, js: JetStreamContext(client: client), progress: progress)
      progress.mark("connected")
      do {
        try await body(fixture)
      } catch {
        progress.mark("closing after error \(error)")
        await client.close()
        throw error
      }
      progress.mark("closing")
      await client.close()
    }
  }

  /// Connects with a bounded handshake, retried: a connect attempt that hangs (seen rarely under
  /// load, reported to the NATS module's owner) must not hang the test.
  static func connect(_ options: NATSClientOptions, progress: FixtureProgress) async throws -> NATSClient {
    var lastError: any Error = FixtureError("not connected")
    for attempt in 1...3 {
      progress.mark("connecting, attempt \(attempt)")
      do {
        return try await withDeadline(.seconds(10), "connect") { try await NATSClient.connect(options) }
      } catch {
        lastError = error
      }
    }
    throw lastError
  }

  /// Polls `condition` until it holds or `timeout` passes (then fails with `message`).
  func eventually(
    _ message: String, timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      if try await condition() { return }
      if ContinuousClock.now >= deadline {
        throw FixtureError("condition not met within \(timeout): \(message)")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }
}

struct FixtureError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Runs `body`, failing with a timeout error if it takes longer than `timeout`. Returns at the
/// deadline even when `body` does not react to cancellation (it is cancelled and left behind).
@discardableResult
func withDeadline<T: Sendable>(
  _ timeout: Duration, _ what: String, progress: FixtureProgress = FixtureProgress(),
  _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
  let gate = OnceGate<T>()
  return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
    gate.arm(continuation)
    let work = Task {
      do {
        gate.finish(.success(try await body()))
      } catch {
        gate.finish(.failure(error))
      }
    }
    Task {
      try? await Task.sleep(for: timeout)
      let error = FixtureError("\(what) did not finish within \(timeout); last step: \(progress.last)")
      if gate.finish(.failure(error)) { work.cancel() }
    }
  }
}

/// Resumes a continuation exactly once.
final class OnceGate<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<T, any Error>?
  private var done = false

  func arm(_ continuation: CheckedContinuation<T, any Error>) {
    lock.withLock { self.continuation = continuation }
  }

  @discardableResult
  func finish(_ result: Result<T, any Error>) -> Bool {
    let taken: CheckedContinuation<T, any Error>? = lock.withLock {
      if done { return nil }
      done = true
      defer { continuation = nil }
      return continuation
    }
    taken?.resume(with: result)
    return taken != nil
  }
}

/// Collects every message of a (finite) pull sequence.
func collect(_ messages: JetStreamPullMessages) async throws -> [JetStreamMessage] {
  var out: [JetStreamMessage] = []
  for try await message in messages { out.append(message) }
  return out
}

/// Asserts `body` throws a `JetStreamAPIError` with `errorCode`.
func assertAPIError(
  _ errorCode: Int, file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> Void
) async {
  do {
    try await body()
    XCTFail("expected JetStreamAPIError \(errorCode)", file: file, line: line)
  } catch let error as JetStreamAPIError {
    XCTAssertEqual(error.errorCode, errorCode, "\(error.message)", file: file, line: line)
  } catch {
    XCTFail("expected JetStreamAPIError \(errorCode), got \(error)", file: file, line: line)
  }
}

/// The last step a test reached.
final class FixtureProgress: @unchecked Sendable {
  private let lock = NSLock()
  private var step = "start"

  func mark(_ step: String) { lock.withLock { self.step = step } }
  var last: String { lock.withLock { step } }
}
