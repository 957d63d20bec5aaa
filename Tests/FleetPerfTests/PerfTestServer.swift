import Foundation
import JetStream
import Logging
import NATS
import NATSTestSupport
import XCTest

/// A throw-away nats-server with JetStream, a client, and the repository's history streams.
final class PerfTestServer: @unchecked Sendable {
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static var streamsDirectory: String { repositoryRoot.appendingPathComponent("streams").path }

  let server: NATSServerProcess
  let client: NATSClient
  let jetStream: JetStreamContext

  init() async throws {
    server = try await NATSServerProcess.start(jetStream: true, name: "fleetperf")
    client = try await NATSClient.connect(
      NATSClientOptions(servers: [server.url]), logger: Logger(label: "perf-test"))
    jetStream = JetStreamContext(client: client, timeout: .seconds(10))
  }

  var url: String { server.url }

  func shutdown() async {
    await client.close()
    server.stop()
  }

  /// The history stream files of streams/streams (those without `sources`): name and body.
  static func historyStreams() throws -> [(name: String, body: [UInt8])] {
    let directory = streamsDirectory + "/streams"
    var result: [(String, [UInt8])] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    where file.hasSuffix(".json") {
      let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
      let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      let name = try XCTUnwrap(object["name"] as? String)
      if object["sources"] != nil || name == "DLQ" || name == "NOTIFICATIONS" { continue }
      result.append((name, Array(data)))
    }
    return result
  }

  /// Creates every history stream (deleting it first when it exists).
  func createHistoryStreams() async throws -> [String] {
    var names: [String] = []
    for (name, body) in try Self.historyStreams() {
      try? await jetStream.deleteStream(name)
      _ = try await jetStream.createStream(rawConfig: body)
      names.append(name)
    }
    return names
  }

  /// Every stored message of `stream`, in sequence order (bounded by the stream's last sequence).
  func storedMessages(_ stream: String) async throws -> [StoredMessage] {
    let state = try await jetStream.streamInfo(stream).state
    guard state.messages > 0 else { return [] }
    var out: [StoredMessage] = []
    for sequence in state.firstSequence...state.lastSequence {
      out.append(try await jetStream.getMessage(stream: stream, sequence: sequence))
    }
    return out
  }
}
