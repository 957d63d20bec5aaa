import Foundation

/// The JetStream topology of the fleet: every stream and durable consumer from the `streams/` folder.
///
/// The folder holds `streams/<NAME>.json` (`$JS.API.STREAM.CREATE` bodies) and
/// `consumers/<STREAM>--<DURABLE>.json` (`$JS.API.CONSUMER.CREATE` bodies).
public struct Topology: Sendable {
  /// The streams, ordered by file name.
  public var streams: [StreamDefinition]
  /// The durable consumers, ordered by file name.
  public var consumers: [ConsumerDefinition]

  /// Creates a topology from definitions built in memory.
  public init(streams: [StreamDefinition], consumers: [ConsumerDefinition]) {
    self.streams = streams
    self.consumers = consumers
  }

  /// Loads `<directory>/streams/*.json` and `<directory>/consumers/*.json` (the latter may be absent).
  ///
  /// Throws a ``TopologyLoadError`` naming the file on unreadable or malformed JSON, a missing
  /// `name` / `stream_name` / `config`, or a missing `streams/` folder. Other mistakes (unknown
  /// streams, overlapping consumers, …) are left to ``validate()`` so they are reported together.
  public static func load(directory: String) throws(TopologyLoadError) -> Topology {
    let root = URL(fileURLWithPath: directory, isDirectory: true)
    let streamsFolder = root.appendingPathComponent("streams", isDirectory: true).path
    let consumersFolder = root.appendingPathComponent("consumers", isDirectory: true).path
    guard isDirectory(streamsFolder) else {
      throw TopologyLoadError(file: streamsFolder, message: "no streams/ folder in the topology directory")
    }
    var streams: [StreamDefinition] = []
    for path in try jsonFiles(in: streamsFolder) {
      streams.append(try StreamDefinition(config: try readJSON(path), path: path))
    }
    var consumers: [ConsumerDefinition] = []
    if isDirectory(consumersFolder) {
      for path in try jsonFiles(in: consumersFolder) {
        consumers.append(try ConsumerDefinition(requestBody: try readJSON(path), path: path))
      }
    }
    return Topology(streams: streams, consumers: consumers)
  }

  /// The same topology with `num_replicas` set to `replicas` on every stream and consumer
  /// (`fleet streams apply --replicas 3`). Consumers on WorkQueue streams must match their
  /// stream's replica count, which setting both keeps true; ``validate()`` reports counts
  /// outside 1...5.
  public func withReplicas(_ replicas: Int) -> Topology {
    var copy = self
    for index in copy.streams.indices {
      copy.streams[index].config["num_replicas"] = .int(Int64(replicas))
    }
    for index in copy.consumers.indices {
      copy.consumers[index].config["num_replicas"] = .int(Int64(replicas))
    }
    return copy
  }

  /// The stream named `name`, if the topology has one.
  public func stream(named name: String) -> StreamDefinition? {
    streams.first { $0.name == name }
  }

  /// The consumers reading the stream named `stream`.
  public func consumers(on stream: String) -> [ConsumerDefinition] {
    consumers.filter { $0.stream == stream }
  }

  /// Which streams store a message published on `subject` directly (through their own `subjects`).
  public func streams(capturing subject: String) -> [String] {
    streams.filter { stream in
      stream.subjects.contains { SubjectMatch.matches(subject: subject, filter: $0) }
    }.map(\.name).sorted()
  }

  /// Which work (WorkQueue) streams receive a message published on `subject`: directly through their
  /// own subjects, or through a source whose filter matches it and whose upstream stream holds it.
  public func workStreams(receiving subject: String) -> [String] {
    streams.filter { $0.isWorkQueue && holds(subject, in: $0, visited: []) }.map(\.name).sorted()
  }

  /// Whether `stream` ends up holding a message published on `subject` (sources followed transitively).
  private func holds(_ subject: String, in stream: StreamDefinition, visited: Set<String>) -> Bool {
    if stream.subjects.contains(where: { SubjectMatch.matches(subject: subject, filter: $0) }) {
      return true
    }
    let visited = visited.union([stream.name])
    for source in stream.sourcedSubjects where !visited.contains(source.stream) {
      guard SubjectMatch.matches(subject: subject, filter: source.subject),
        let upstream = self.stream(named: source.stream)
      else { continue }
      if holds(subject, in: upstream, visited: visited) { return true }
    }
    return false
  }

  private static func isDirectory(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
  }

  private static func jsonFiles(in folder: String) throws(TopologyLoadError) -> [String] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw TopologyLoadError(file: folder, message: "cannot list the folder: \(error)")
    }
    return names.filter { $0.hasSuffix(".json") }.sorted().map {
      URL(fileURLWithPath: folder, isDirectory: true).appendingPathComponent($0).path
    }
  }

  private static func readJSON(_ path: String) throws(TopologyLoadError) -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw TopologyLoadError(file: path, message: "cannot read the file")
    }
    do {
      return try JSONValue(parsing: [UInt8](data))
    } catch {
      throw TopologyLoadError(file: path, message: "invalid JSON: \(error)")
    }
  }
}
