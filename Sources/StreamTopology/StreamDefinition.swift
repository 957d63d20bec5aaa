/// One stream of the topology: its `$JS.API.STREAM.CREATE` body and what it captures.
public struct StreamDefinition: Sendable {
  /// The stream name (`config.name`).
  public var name: String
  /// The stream configuration, exactly the `$JS.API.STREAM.CREATE` request body.
  public var config: JSONValue
  /// The file it was loaded from (empty for a definition built in memory).
  public var path: String
  /// Whether the retention policy is `workqueue`.
  public var isWorkQueue: Bool
  /// The subjects the stream captures from publishers (`config.subjects`).
  public var subjects: [String]
  /// For every source, the upstream stream and each subject filter taken from it: the `src` of each
  /// `subject_transforms` entry, else `filter_subject`, else `>` (everything).
  public var sourcedSubjects: [(stream: String, subject: String)]

  /// Reads a stream definition from its configuration; the configuration must be an object with a
  /// non-empty string `name`, and `subjects`/`sources`, when present, must be arrays.
  public init(config: JSONValue, path: String = "") throws(TopologyLoadError) {
    let label = path.isEmpty ? "stream" : path
    guard config.objectValue != nil else {
      throw TopologyLoadError(file: label, message: "a stream file must hold a JSON object")
    }
    guard let name = config["name"]?.stringValue, !name.isEmpty else {
      throw TopologyLoadError(file: label, message: "the stream has no \"name\" string")
    }
    let subjects = try Self.strings(config["subjects"], field: "subjects", file: label)
    var sourced: [(stream: String, subject: String)] = []
    if let sources = config["sources"], !sources.isNull {
      guard let entries = sources.arrayValue else {
        throw TopologyLoadError(file: label, message: "\"sources\" must be an array")
      }
      for entry in entries {
        guard let upstream = entry["name"]?.stringValue, !upstream.isEmpty else {
          throw TopologyLoadError(file: label, message: "a source has no \"name\" string")
        }
        for filter in Self.filters(ofSource: entry) {
          sourced.append((stream: upstream, subject: filter))
        }
      }
    }
    self.name = name
    self.config = config
    self.path = path
    self.isWorkQueue = config["retention"]?.stringValue == "workqueue"
    self.subjects = subjects
    self.sourcedSubjects = sourced
  }

  /// The subject filters one `sources` entry takes from its upstream stream.
  static func filters(ofSource source: JSONValue) -> [String] {
    if let transforms = source["subject_transforms"]?.arrayValue, !transforms.isEmpty {
      return transforms.map { transform in
        let filter = transform["src"]?.stringValue ?? ""
        return filter.isEmpty ? ">" : filter
      }
    }
    if let filter = source["filter_subject"]?.stringValue, !filter.isEmpty {
      return [filter]
    }
    return [">"]
  }

  static func strings(_ value: JSONValue?, field: String, file: String) throws(TopologyLoadError) -> [String]
  {
    guard let value, !value.isNull else { return [] }
    guard let elements = value.arrayValue else {
      throw TopologyLoadError(file: file, message: "\"\(field)\" must be an array of strings")
    }
    var result: [String] = []
    for element in elements {
      guard let text = element.stringValue else {
        throw TopologyLoadError(file: file, message: "\"\(field)\" must be an array of strings")
      }
      result.append(text)
    }
    return result
  }
}
