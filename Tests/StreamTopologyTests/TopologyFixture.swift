import Foundation
import StreamTopology

/// Locates the repository's streams/ folder relative to this file and builds synthetic definitions.
enum TopologyFixture {
  /// `<repo>/streams`, found from `#filePath` (Tests/StreamTopologyTests/<file> → repo root).
  static var streamsDirectory: String {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("streams", isDirectory: true).path
  }

  static func stream(_ config: JSONValue) throws -> StreamDefinition {
    try StreamDefinition(config: config)
  }

  static func history(_ name: String, _ subject: String) throws -> StreamDefinition {
    try stream([
      "name": .string(name), "subjects": [.string(subject)], "retention": "limits", "storage": "file",
      "num_replicas": 1,
    ])
  }

  static func workQueue(_ name: String, sources: [(String, [String])]) throws -> StreamDefinition {
    let entries: [JSONValue] = sources.map { upstream, subjects in
      [
        "name": .string(upstream),
        "subject_transforms": .array(subjects.map { ["src": .string($0), "dest": .string($0)] }),
      ]
    }
    return try stream([
      "name": .string(name), "retention": "workqueue", "storage": "file", "num_replicas": 1,
      "sources": .array(entries),
    ])
  }

  static func consumer(_ stream: String, _ name: String, filters: [String] = []) -> ConsumerDefinition {
    var config: JSONValue = [
      "durable_name": .string(name), "ack_policy": "explicit", "deliver_policy": "all", "max_deliver": 4,
    ]
    if !filters.isEmpty { config["filter_subjects"] = .array(filters.map(JSONValue.string)) }
    return ConsumerDefinition(stream: stream, name: name, config: config)
  }
}
