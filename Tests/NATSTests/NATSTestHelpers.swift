import Foundation
import Logging
import NATS
import NATSTestSupport
import NATSWire
import XCTest

/// Helpers shared by the integration tests of the core client.
enum TestClient {
  static func options(_ url: String, _ configure: (inout NATSClientOptions) -> Void = { _ in })
    -> NATSClientOptions
  {
    var options = NATSClientOptions(servers: [url])
    options.noRandomize = true
    options.reconnectWait = .milliseconds(100)
    options.reconnectMaxWait = .milliseconds(500)
    options.reconnectJitter = .milliseconds(20)
    options.maxReconnectAttempts = -1
    options.connectTimeout = .seconds(3)
    options.requestTimeout = .seconds(3)
    configure(&options)
    return options
  }

  static func connect(
    _ url: String, _ configure: (inout NATSClientOptions) -> Void = { _ in }
  ) async throws -> NATSClient {
    try await NATSClient.connect(options(url, configure), logger: Logger(label: "test"))
  }
}

/// Answers every request on `subject` with its own payload, until the returned task is cancelled.
func startEchoResponder(_ responder: NATSClient, subject: String = "echo") throws -> Task<Void, any Error> {
  let service = try responder.subscribe(subject)
  return Task {
    for try await request in service {
      if let reply = request.replyTo { try await responder.publish(reply, buffer: request.payload) }
    }
  }
}

/// Collects connection events in the background so a test can wait for one.
final class EventRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private var events: [NATSConnectionEvent] = []
  private var task: Task<Void, Never>?

  init(_ client: NATSClient) {
    let stream = client.events()
    task = Task { [weak self] in
      for await event in stream { self?.append(event) }
    }
  }

  deinit { task?.cancel() }

  private func append(_ e: NATSConnectionEvent) {
    lock.lock()
    events.append(e)
    lock.unlock()
  }

  var all: [NATSConnectionEvent] {
    lock.lock()
    defer { lock.unlock() }
    return events
  }

  /// Waits (bounded) until an event matching `predicate` has been recorded.
  func wait(
    timeout: Duration = .seconds(10), file: StaticString = #filePath, line: UInt = #line,
    _ predicate: (NATSConnectionEvent) -> Bool
  ) async {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if all.contains(where: predicate) { return }
      try? await Task.sleep(for: .milliseconds(20))
    }
    XCTFail("event not seen within \(timeout); got \(all)", file: file, line: line)
  }
}

extension NATSConnectionEvent {
  var isReconnected: Bool { if case .reconnected = self { true } else { false } }
  var isDisconnected: Bool { if case .disconnected = self { true } else { false } }
  var isLameDuck: Bool { if case .lameDuckMode = self { true } else { false } }
  var isSlowConsumer: Bool { if case .slowConsumer = self { true } else { false } }
  var isDiscovered: Bool { if case .serversDiscovered = self { true } else { false } }
  var permissionsError: Bool {
    if case .error(let e) = self { return e.code == .permissionsViolation }
    return false
  }
}

/// Collects `count` messages from a subscription within a deadline.
func collect(_ sub: NATSSubscription, count: Int, timeout: Duration = .seconds(10)) async throws
  -> [NATSMessage]
{
  try await withThrowingTaskGroup(of: [NATSMessage]?.self) { group in
    group.addTask {
      var out: [NATSMessage] = []
      for try await m in sub {
        out.append(m)
        if out.count == count { break }
      }
      return out
    }
    group.addTask {
      try await Task.sleep(for: timeout)
      return nil
    }
    let first = try await group.next() ?? nil
    group.cancelAll()
    guard let result = first else { throw NATSError(.timeout, "collected fewer than \(count) messages") }
    return result
  }
}

/// Raw JetStream calls for the core tests (the JetStream module has its own tests).
/// Stops the server under a client with a 4 KiB reconnect buffer, then calls `publish` (which
/// publishes one message) until it throws, at most 1,000 times. The client is left open.
func overflowReconnectBuffer(
  publish: (NATSClient) async throws -> Void
) async throws -> (server: NATSServerProcess, client: NATSClient, accepted: Int, failure: NATSError?) {
  let server = try await NATSServerProcess.start(jetStream: false)
  let client = try await TestClient.connect(server.url) { $0.reconnectBufferSize = 4096 }
  let events = EventRecorder(client)
  server.stop()
  await events.wait { $0.isDisconnected }
  var accepted = 0
  var failure: NATSError?
  for _ in 0..<1000 {
    do {
      try await publish(client)
      accepted += 1
    } catch let error as NATSError {
      failure = error
      break
    }
  }
  return (server, client, accepted, failure)
}

enum RawJetStream {
  static func createStream(_ client: NATSClient, name: String, subjects: [String]) async throws {
    let body = try JSONSerialization.data(withJSONObject: [
      "name": name, "subjects": subjects, "storage": "file",
    ])
    let reply = try await client.request("$JS.API.STREAM.CREATE.\(name)", payload: Array(body))
    XCTAssertFalse(reply.payloadString.contains("\"error\""), reply.payloadString)
  }

  static func messageCount(_ client: NATSClient, stream: String) async throws -> Int {
    let reply = try await client.request("$JS.API.STREAM.INFO.\(stream)", payload: [UInt8]())
    let json = try JSONSerialization.jsonObject(with: Data(reply.payloadBytes)) as? [String: Any]
    let state = json?["state"] as? [String: Any]
    return (state?["messages"] as? Int) ?? -1
  }
}
