/// One durable consumer of the topology, as in a `$JS.API.CONSUMER.CREATE` request body.
public struct ConsumerDefinition: Sendable {
  /// The stream the consumer reads (`stream_name`).
  public var stream: String
  /// The durable name (`config.durable_name`, else `config.name`).
  public var name: String
  /// The consumer configuration (the body's `config` member), as the server reports it back.
  public var config: JSONValue
  /// The file it was loaded from (empty for a definition built in memory).
  public var path: String

  /// Creates a consumer definition from its parts.
  public init(stream: String, name: String, config: JSONValue, path: String = "") {
    self.stream = stream
    self.name = name
    self.config = config
    self.path = path
  }

  /// Reads a consumer from a `$JS.API.CONSUMER.CREATE` body: `{"stream_name": …, "config": {…}}`.
  public init(requestBody body: JSONValue, path: String = "") throws(TopologyLoadError) {
    let label = path.isEmpty ? "consumer" : path
    guard body.objectValue != nil else {
      throw TopologyLoadError(file: label, message: "a consumer file must hold a JSON object")
    }
    guard let stream = body["stream_name"]?.stringValue, !stream.isEmpty else {
      throw TopologyLoadError(file: label, message: "the consumer has no \"stream_name\" string")
    }
    guard let config = body["config"], config.objectValue != nil else {
      throw TopologyLoadError(file: label, message: "the consumer has no \"config\" object")
    }
    let durable = config["durable_name"]?.stringValue ?? ""
    let name = durable.isEmpty ? (config["name"]?.stringValue ?? "") : durable
    guard !name.isEmpty else {
      throw TopologyLoadError(
        file: label, message: "the consumer config has no \"durable_name\" or \"name\" string")
    }
    self.init(stream: stream, name: name, config: config, path: path)
  }

  /// The `$JS.API.CONSUMER.CREATE.<stream>.<name>` request body: `{"stream_name", "config"}`.
  public var requestBody: JSONValue {
    .object(["stream_name": .string(stream), "config": config])
  }

  /// The consumer's subject filters (`filter_subject` and `filter_subjects`); empty means unfiltered.
  public var filterSubjects: [String] {
    var filters: [String] = []
    if let single = config["filter_subject"]?.stringValue, !single.isEmpty { filters.append(single) }
    for element in config["filter_subjects"]?.arrayValue ?? [] {
      if let filter = element.stringValue { filters.append(filter) }
    }
    return filters
  }
}
