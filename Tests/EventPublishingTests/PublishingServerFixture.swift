import Foundation
import JetStream
import NATS
import NATSTestSupport
import XCTest

/// A real nats-server (own port and store dir), a connected client and the REGISTRATION stream.
struct PublishingServerFixture {
  let server: NATSServerProcess
  let client: NATSClient
  let jetStream: JetStreamContext

  static let stream = "REGISTRATION"

  /// Starts a server and a client, creates the stream, runs `body` bounded by `timeout`, then
  /// closes both.
  static func run(
    _ name: String, timeout: Duration = .seconds(60),
    _ body: @escaping @Sendable (PublishingServerFixture) async throws -> Void
  ) async throws {
    let server = try await NATSServerProcess.start(name: name)
    var options = NATSClientOptions(servers: [server.url])
    options.name = name
    options.maxReconnectAttempts = 240
    options.reconnectWait = .milliseconds(100)
    options.reconnectMaxWait = .milliseconds(500)
    options.requestTimeout = .seconds(2)
    let client: NATSClient
    do {
      client = try await NATSClient.connect(options)
    } catch {
      server.stop()
      throw error
    }
    let fixture = PublishingServerFixture(
      server: server, client: client, jetStream: JetStreamContext(client: client))
    do {
      var config = StreamConfig(name: stream, subjects: ["REGISTRATION.>"])
      config.storage = .file
      _ = try await fixture.jetStream.createStream(config)
      try await withDeadline(timeout, name) { try await body(fixture) }
    } catch {
      await client.close()
      server.stop()
      throw error
    }
    await client.close()
    server.stop()
  }

  /// The number of messages in the stream.
  func messageCount() async throws -> UInt64 {
    try await jetStream.streamInfo(Self.stream).state.messages
  }

  /// Every message of the stream in stream order.
  func storedMessages() async throws -> [StoredMessage] {
    let info = try await jetStream.streamInfo(Self.stream)
    guard info.state.messages > 0 else { return [] }
    var messages: [StoredMessage] = []
    for sequence in info.state.firstSequence...info.state.lastSequence {
      messages.append(try await jetStream.getMessage(stream: Self.stream, sequence: sequence))
    }
    return messages
  }

  /// Polls `condition` until it holds or `timeout` passes (then throws with `message`).
  func eventually(
    _ message: String, timeout: Duration = .seconds(20), _ condition: @Sendable () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      if try await condition() { return }
      if ContinuousClock.now >= deadline {
        throw TestSupportError("condition not met within \(timeout): \(message)")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }
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
    if !first { throw TestSupportError("\(what) did not finish within \(timeout)") }
  }
}
