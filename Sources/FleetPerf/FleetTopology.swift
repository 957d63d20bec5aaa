import Foundation
import JetStream

/// The part of the repository's stream topology (streams/) that one service needs: every history
/// stream, DLQ and NOTIFICATIONS (streams without `sources`), the service's own work stream and
/// its durable consumer. Files are sent as they are (`createStream(rawConfig:)`).
struct FleetTopology {
  struct Item {
    var name: String
    var body: [UInt8]
    var sourced: Bool
  }

  var streams: [Item]
  var consumer: (stream: String, body: [UInt8])

  /// Reads `<directory>/streams/*.json` and `<directory>/consumers/<workStream>--*.json`.
  static func load(directory: String, workStream: String) throws(PerfError) -> FleetTopology {
    let fileManager = FileManager.default
    let streamsPath = directory + "/streams"
    let consumersPath = directory + "/consumers"
    let streamFiles: [String]
    let consumerFiles: [String]
    do {
      streamFiles = try fileManager.contentsOfDirectory(atPath: streamsPath).filter { $0.hasSuffix(".json") }
        .sorted()
      consumerFiles = try fileManager.contentsOfDirectory(atPath: consumersPath).filter {
        $0.hasPrefix(workStream + "--") && $0.hasSuffix(".json")
      }
    } catch {
      throw PerfError(
        .io, "cannot read the topology folder \(directory) (streams/, consumers/)", cause: error)
    }
    var items: [Item] = []
    for file in streamFiles {
      let body = try read(streamsPath + "/" + file)
      let object: [String: Any]?
      do {
        object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
      } catch {
        throw PerfError(.io, "\(file) is not JSON", cause: error)
      }
      guard let object, let name = object["name"] as? String else {
        throw PerfError(.io, "\(file) has no stream name")
      }
      let sourced = object["sources"] != nil
      if sourced && name != workStream { continue }
      items.append(Item(name: name, body: body, sourced: sourced))
    }
    guard items.contains(where: { $0.name == workStream }) else {
      throw PerfError(.setup, "no stream file for \(workStream) in \(streamsPath)")
    }
    guard let consumerFile = consumerFiles.first else {
      throw PerfError(.setup, "no consumer file \(workStream)--*.json in \(consumersPath)")
    }
    let consumerBody = try read(consumersPath + "/" + consumerFile)
    items.sort { a, b in a.sourced == b.sourced ? a.name < b.name : !a.sourced }
    return FleetTopology(streams: items, consumer: (workStream, consumerBody))
  }

  private static func read(_ path: String) throws(PerfError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PerfError(.io, "cannot read \(path)")
    }
    return Array(data)
  }

  /// Creates the streams (history first) and the consumer; with `reset`, deletes existing ones
  /// first, otherwise an existing stream is an error.
  func apply(_ context: JetStreamContext, reset: Bool) async throws {
    for item in streams.reversed() {
      let exists: Bool
      do {
        _ = try await context.streamInfo(item.name)
        exists = true
      } catch let error as JetStreamAPIError where error.errorCode == JetStreamAPIError.Code.streamNotFound {
        exists = false
      }
      if exists {
        guard reset else {
          throw PerfError(
            .setup, "stream \(item.name) already exists: run against a throw-away server or reset the streams"
          )
        }
        try await context.deleteStream(item.name)
      }
    }
    for item in streams {
      let result = try await context.createStream(rawConfig: item.body)
      _ = result.value
    }
    _ = try await context.createOrUpdateConsumer(stream: consumer.stream, rawConfig: consumer.body)
  }
}
