import NATSWire

extension JetStreamContext {
  /// Creates or updates a consumer via `CONSUMER.CREATE.<stream>.<name>[.<filter>]` with `action`.
  ///
  /// The name is `config.name`, else `config.durableName`. A single wildcard-free `filterSubject` is
  /// also put into the subject (as nats.go does) so the server can check permissions per subject.
  /// `action` `.create` on an existing consumer with a different configuration throws
  /// `JetStreamAPIError` 10148; `.update` of a missing one throws 10149.
  public func createOrUpdateConsumer(
    stream: String, config: ConsumerConfig, action: ConsumerCreateAction = .createOrUpdate
  ) async throws -> ConsumerInfo {
    try Self.validateName(stream, kind: "stream")
    guard let name = config.name ?? config.durableName else {
      throw JetStreamError(.invalidArgument, "consumer configuration needs a name or durable_name")
    }
    try Self.validateName(name, kind: "consumer")
    let body = CreateConsumerRequest(
      streamName: stream, config: config, action: action == .createOrUpdate ? nil : action.rawValue)
    let operation = Self.consumerCreateOperation(stream: stream, name: name, filter: config.filterSubject)
    return try await requestDecoding(ConsumerInfo.self, operation, payload: JetStreamJSON.encode(body))
  }

  /// Creates a consumer (action "create").
  public func createConsumer(stream: String, config: ConsumerConfig) async throws -> ConsumerInfo {
    try await createOrUpdateConsumer(stream: stream, config: config, action: .create)
  }

  /// Updates a consumer (action "update").
  public func updateConsumer(stream: String, config: ConsumerConfig) async throws -> ConsumerInfo {
    try await createOrUpdateConsumer(stream: stream, config: config, action: .update)
  }

  /// Creates or updates a consumer from raw JSON sent as unchanged as possible.
  ///
  /// `rawConfig` is either a full request body (`{"stream_name": …, "config": {…}}`, the shape of
  /// the files in streams/consumers/) or just the consumer configuration object. A full body is
  /// sent byte for byte, except that a non-empty `action` is appended as a last key. A bare
  /// configuration is wrapped as `{"stream_name":…,"config":<bytes>[,"action":…]}`.
  public func createOrUpdateConsumer(
    stream: String, rawConfig: [UInt8], action: ConsumerCreateAction = .createOrUpdate
  ) async throws -> JetStreamRawResult<ConsumerInfo> {
    try Self.validateName(stream, kind: "stream")
    guard let object = JetStreamJSON.object(rawConfig) else {
      throw JetStreamError(.invalidArgument, "consumer configuration is not a JSON object")
    }
    let config: [String: Any]
    let payload: [UInt8]
    if let inner = object["config"] as? [String: Any] {
      if let bodyStream = object["stream_name"] as? String, bodyStream != stream {
        throw JetStreamError(
          .invalidArgument, "consumer request names stream '\(bodyStream)' but '\(stream)' was given")
      }
      config = inner
      payload =
        action == .createOrUpdate ? rawConfig : try Self.appendingAction(action.rawValue, to: rawConfig)
    } else {
      config = object
      var body = Array("{\"stream_name\":\(JetStreamJSON.quoted(stream)),\"config\":".utf8)
      body.append(contentsOf: rawConfig)
      if action != .createOrUpdate {
        body.append(contentsOf: Array(",\"action\":\"\(action.rawValue)\"".utf8))
      }
      body.append(UInt8(ascii: "}"))
      payload = body
    }
    guard let name = (config["name"] as? String) ?? (config["durable_name"] as? String) else {
      throw JetStreamError(.invalidArgument, "consumer configuration needs a name or durable_name")
    }
    try Self.validateName(name, kind: "consumer")
    let operation = Self.consumerCreateOperation(
      stream: stream, name: name, filter: config["filter_subject"] as? String)
    return try await requestRaw(ConsumerInfo.self, operation, payload: payload)
  }

  /// A consumer's configuration and state (`CONSUMER.INFO`).
  public func consumerInfo(stream: String, name: String) async throws -> ConsumerInfo {
    try Self.validateName(stream, kind: "stream")
    try Self.validateName(name, kind: "consumer")
    return try await requestDecoding(ConsumerInfo.self, "CONSUMER.INFO.\(stream).\(name)")
  }

  /// The raw `CONSUMER.INFO` response.
  public func consumerInfoRaw(stream: String, name: String) async throws -> JetStreamRawResult<ConsumerInfo> {
    try Self.validateName(stream, kind: "stream")
    try Self.validateName(name, kind: "consumer")
    return try await requestRaw(ConsumerInfo.self, "CONSUMER.INFO.\(stream).\(name)", payload: [])
  }

  /// Deletes a consumer.
  public func deleteConsumer(stream: String, name: String) async throws {
    try Self.validateName(stream, kind: "stream")
    try Self.validateName(name, kind: "consumer")
    let response = try await requestDecoding(SuccessResponse.self, "CONSUMER.DELETE.\(stream).\(name)")
    guard response.success else {
      throw JetStreamError(.invalidResponse, "consumer \(stream)/\(name) was not deleted")
    }
  }

  /// Every consumer's info on a stream (all pages).
  public func listConsumers(stream: String) async throws -> [ConsumerInfo] {
    try Self.validateName(stream, kind: "stream")
    var all: [ConsumerInfo] = []
    while true {
      let page = try await requestDecoding(
        ConsumerListResponse.self, "CONSUMER.LIST.\(stream)",
        payload: JetStreamJSON.encode(ListRequest(offset: all.count, subject: nil)))
      let items = page.consumers ?? []
      all.append(contentsOf: items)
      if items.isEmpty || all.count >= page.total { return all }
    }
  }

  /// Every consumer name on a stream (all pages).
  public func consumerNames(stream: String) async throws -> [String] {
    try Self.validateName(stream, kind: "stream")
    var all: [String] = []
    while true {
      let page = try await requestDecoding(
        NamesResponse.self, "CONSUMER.NAMES.\(stream)",
        payload: JetStreamJSON.encode(ListRequest(offset: all.count, subject: nil)))
      let items = page.consumers ?? []
      all.append(contentsOf: items)
      if items.isEmpty || all.count >= page.total { return all }
    }
  }

  /// A handle to pull from an existing consumer (no request is made).
  public func pullConsumer(stream: String, name: String) throws -> JetStreamPullConsumer {
    try Self.validateName(stream, kind: "stream")
    try Self.validateName(name, kind: "consumer")
    return JetStreamPullConsumer(context: self, stream: stream, name: name)
  }

  // MARK: helpers

  /// `CONSUMER.CREATE.<stream>.<name>[.<filter>]`; the filter only when it has no wildcards.
  static func consumerCreateOperation(stream: String, name: String, filter: String?) -> String {
    if let filter, !filter.isEmpty, NATSSubject.isValidPublish(filter) {
      return "CONSUMER.CREATE.\(stream).\(name).\(filter)"
    }
    return "CONSUMER.CREATE.\(stream).\(name)"
  }

  /// Inserts `,"action":"<action>"` before the closing brace of a JSON object (a later key wins
  /// in the server's decoder, so this overrides an `action` already in the body).
  static func appendingAction(_ action: String, to body: [UInt8]) throws -> [UInt8] {
    guard let close = body.lastIndex(of: UInt8(ascii: "}")) else {
      throw JetStreamError(.invalidArgument, "consumer request is not a JSON object")
    }
    let inside = body[..<close].drop { $0 != UInt8(ascii: "{") }.dropFirst()
    let isEmptyObject = inside.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    var out = Array(body[..<close])
    out.append(contentsOf: Array("\(isEmptyObject ? "" : ",")\"action\":\"\(action)\"".utf8))
    out.append(contentsOf: body[close...])
    return out
  }
}

/// Body of `CONSUMER.CREATE`.
struct CreateConsumerRequest: Encodable {
  var streamName: String
  var config: ConsumerConfig
  var action: String?
  enum CodingKeys: String, CodingKey {
    case streamName = "stream_name"
    case config, action
  }
}

/// A page of `CONSUMER.LIST`.
struct ConsumerListResponse: Decodable {
  var total: Int
  var offset: Int?
  var limit: Int?
  var consumers: [ConsumerInfo]?
}
