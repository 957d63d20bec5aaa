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

  /// Starts a server and a client, runs `body` bounded by `timeout`, then closes both.
  static func run(
    _ name: String, config: String? = nil, timeout: Duration = .seconds(60),
    _ body: @escaping @Sendable (JetStreamServerFixture) async throws -> Void
  ) async throws {
    let server = try await NATSServerProcess.start(config: config, name: name)
    var options = NATSClientOptions(servers: [server.url])
    options.name = name
    options.maxReconnectAttempts = 120
    options.reconnectWait = .milliseconds(100)
    options.reconnectMaxWait = .milliseconds(500)
    let client: NATSClient
    do {
      client = try await NATSClient.connect(options)
    } catch {
      server.stop()
      throw error
    }
    let fixture = JetStreamServerFixture(server: server, client: client, js: JetStreamContext(client: client))
    do {
      try await withDeadline(timeout, name) { try await body(fixture) }
    } catch {
      await client.close()
      server.stop()
      throw error
    }
    await client.close()
    server.stop()
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

/// Runs `body`, failing with a timeout error if it takes longer than `timeout`.
func withDeadline(
  _ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> Void
) async throws {
  try await withThrowingTaskGroup(of: Bool.self) { group in
    group.addTask {
      try await body()
      return true
    }
    group.addTask {
      try await Task.sleep(for: timeout)
      return false
    }
    guard let first = try await group.next() else { return }
    group.cancelAll()
    if !first { throw FixtureError("\(what) did not finish within \(timeout)") }
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
