import NATS
import NATSWire
import NIOCore

extension JetStreamContext {
  // MARK: create / update / info / delete

  /// Creates a stream (`STREAM.CREATE`). Creating an existing stream with the same configuration
  /// succeeds; with a different one it throws `JetStreamAPIError` 10058.
  public func createStream(_ config: StreamConfig) async throws -> StreamInfo {
    try Self.validateName(config.name, kind: "stream")
    return try await requestDecoding(
      StreamInfo.self, "STREAM.CREATE.\(config.name)", payload: JetStreamJSON.encode(config))
  }

  /// Updates a stream (`STREAM.UPDATE`).
  public func updateStream(_ config: StreamConfig) async throws -> StreamInfo {
    try Self.validateName(config.name, kind: "stream")
    return try await requestDecoding(
      StreamInfo.self, "STREAM.UPDATE.\(config.name)", payload: JetStreamJSON.encode(config))
  }

  /// Creates a stream from a JSON configuration sent unchanged (the `name` is read from it).
  /// Returns the raw response and the decoded info.
  public func createStream(rawConfig: [UInt8]) async throws -> JetStreamRawResult<StreamInfo> {
    let name = try Self.streamName(inRawConfig: rawConfig)
    return try await requestRaw(StreamInfo.self, "STREAM.CREATE.\(name)", payload: rawConfig)
  }

  /// Updates a stream from a JSON configuration sent unchanged. Returns the raw response and the info.
  public func updateStream(rawConfig: [UInt8]) async throws -> JetStreamRawResult<StreamInfo> {
    let name = try Self.streamName(inRawConfig: rawConfig)
    return try await requestRaw(StreamInfo.self, "STREAM.UPDATE.\(name)", payload: rawConfig)
  }

  /// A stream's configuration and state (`STREAM.INFO`); `subjectsFilter` adds per-subject counts.
  public func streamInfo(_ name: String, subjectsFilter: String? = nil) async throws -> StreamInfo {
    try Self.validateName(name, kind: "stream")
    var payload: [UInt8] = []
    if let subjectsFilter { payload = try JetStreamJSON.encode(["subjects_filter": subjectsFilter]) }
    return try await requestDecoding(StreamInfo.self, "STREAM.INFO.\(name)", payload: payload)
  }

  /// The raw `STREAM.INFO` response (for tools that diff configurations as JSON).
  public func streamInfoRaw(_ name: String) async throws -> JetStreamRawResult<StreamInfo> {
    try Self.validateName(name, kind: "stream")
    return try await requestRaw(StreamInfo.self, "STREAM.INFO.\(name)", payload: [])
  }

  /// Deletes a stream and its consumers.
  public func deleteStream(_ name: String) async throws {
    try Self.validateName(name, kind: "stream")
    let response = try await requestDecoding(SuccessResponse.self, "STREAM.DELETE.\(name)")
    guard response.success else {
      throw JetStreamError(.invalidResponse, "stream \(name) was not deleted")
    }
  }

  /// Purges a stream: everything, or only `filter` subjects, up to (not including) `sequence`,
  /// or keeping the last `keep` messages. Returns the number of messages removed.
  @discardableResult
  public func purgeStream(_ name: String, filter: String? = nil, sequence: UInt64? = nil, keep: UInt64? = nil)
    async throws -> UInt64
  {
    try Self.validateName(name, kind: "stream")
    if sequence != nil && keep != nil {
      throw JetStreamError(.invalidArgument, "purge takes either sequence or keep, not both")
    }
    let body = PurgeRequest(filter: filter, sequence: sequence, keep: keep)
    let payload = filter == nil && sequence == nil && keep == nil ? [] : try JetStreamJSON.encode(body)
    let response = try await requestDecoding(PurgeResponse.self, "STREAM.PURGE.\(name)", payload: payload)
    guard response.success else {
      throw JetStreamError(.invalidResponse, "stream \(name) was not purged")
    }
    return response.purged ?? 0
  }

  // MARK: list / names

  /// Every stream's info (all pages), optionally only streams capturing `subject`.
  public func listStreams(subject: String? = nil) async throws -> [StreamInfo] {
    var all: [StreamInfo] = []
    while true {
      let page = try await requestDecoding(
        StreamListResponse.self, "STREAM.LIST",
        payload: JetStreamJSON.encode(ListRequest(offset: all.count, subject: subject)))
      let items = page.streams ?? []
      all.append(contentsOf: items)
      if items.isEmpty || all.count >= page.total { return all }
    }
  }

  /// Every stream name (all pages), optionally only streams capturing `subject`.
  public func streamNames(subject: String? = nil) async throws -> [String] {
    var all: [String] = []
    while true {
      let page = try await requestDecoding(
        NamesResponse.self, "STREAM.NAMES",
        payload: JetStreamJSON.encode(ListRequest(offset: all.count, subject: subject)))
      let items = page.streams ?? []
      all.append(contentsOf: items)
      if items.isEmpty || all.count >= page.total { return all }
    }
  }

  // MARK: messages

  /// The message with stream sequence `sequence` (`STREAM.MSG.GET`).
  public func getMessage(stream: String, sequence: UInt64) async throws -> StoredMessage {
    try await getMessage(stream: stream, request: MessageGetRequest(seq: sequence, lastBySubject: nil))
  }

  /// The last message stored under `subject` (`STREAM.MSG.GET` with `last_by_subj`).
  public func getLastMessage(stream: String, subject: String) async throws -> StoredMessage {
    try await getMessage(stream: stream, request: MessageGetRequest(seq: nil, lastBySubject: subject))
  }

  private func getMessage(stream: String, request: MessageGetRequest) async throws -> StoredMessage {
    try Self.validateName(stream, kind: "stream")
    let response = try await requestDecoding(
      StoredMessage.Response.self, "STREAM.MSG.GET.\(stream)", payload: JetStreamJSON.encode(request))
    return try StoredMessage(wire: response.message)
  }

  /// Deletes one message (`STREAM.MSG.DELETE`), erasing it from disk when `erase`.
  public func deleteMessage(stream: String, sequence: UInt64, erase: Bool = false) async throws {
    try Self.validateName(stream, kind: "stream")
    struct Body: Encodable {
      var seq: UInt64
      var noErase: Bool?
      enum CodingKeys: String, CodingKey {
        case seq
        case noErase = "no_erase"
      }
    }
    let response = try await requestDecoding(
      SuccessResponse.self, "STREAM.MSG.DELETE.\(stream)",
      payload: JetStreamJSON.encode(Body(seq: sequence, noErase: erase ? nil : true)))
    guard response.success else {
      throw JetStreamError(.invalidResponse, "message \(sequence) of \(stream) was not deleted")
    }
  }

  /// Direct get by sequence (`$JS.API.DIRECT.GET.<stream>`; the stream needs `allow_direct`).
  /// A missing message throws `JetStreamAPIError` with code 404.
  public func directGetMessage(stream: String, sequence: UInt64) async throws -> StoredMessage {
    try await directGet(stream: stream, request: MessageGetRequest(seq: sequence, lastBySubject: nil))
  }

  /// Direct get of the last message on `subject`.
  public func directGetLastMessage(stream: String, subject: String) async throws -> StoredMessage {
    try await directGet(stream: stream, request: MessageGetRequest(seq: nil, lastBySubject: subject))
  }

  private func directGet(stream: String, request: MessageGetRequest) async throws -> StoredMessage {
    try Self.validateName(stream, kind: "stream")
    let subject = apiSubject("DIRECT.GET.\(stream)")
    let reply: NATSMessage
    do {
      reply = try await client.request(subject, payload: JetStreamJSON.encode(request), timeout: timeout)
    } catch let error as NATSError where error.code == .noResponders {
      throw JetStreamError(.noResponders, "no direct get responder for stream \(stream) (allow_direct off?)")
    } catch let error as NATSError where error.code == .timeout {
      throw JetStreamError(.timeout, "direct get on \(stream) timed out", cause: error)
    }
    if let status = reply.status, status >= 400 {
      throw JetStreamAPIError(
        code: status, errorCode: status == 404 ? JetStreamAPIError.Code.noMessageFound : 0,
        description: reply.statusDescription ?? "direct get failed")
    }
    guard let headers = reply.headers,
      let subjectHeader = headers["Nats-Subject"],
      let sequence = headers["Nats-Sequence"].flatMap({ UInt64($0) })
    else {
      throw JetStreamError(
        .invalidResponse, "direct get reply from \(stream) lacks Nats-Subject / Nats-Sequence")
    }
    return StoredMessage(
      subject: subjectHeader, sequence: sequence, headers: headers, payload: reply.payloadBytes,
      time: headers["Nats-Time-Stamp"])
  }

  // MARK: helpers

  /// Reads `name` from a raw stream configuration.
  static func streamName(inRawConfig raw: [UInt8]) throws -> String {
    guard let object = JetStreamJSON.object(raw) else {
      throw JetStreamError(.invalidArgument, "stream configuration is not a JSON object")
    }
    guard let name = object["name"] as? String else {
      throw JetStreamError(.invalidArgument, "stream configuration has no \"name\"")
    }
    try validateName(name, kind: "stream")
    return name
  }
}

/// `{"success": true}` responses.
struct SuccessResponse: Decodable {
  var success: Bool
}

/// Body of `STREAM.PURGE`.
struct PurgeRequest: Encodable {
  var filter: String?
  var sequence: UInt64?
  var keep: UInt64?
  enum CodingKeys: String, CodingKey {
    case filter
    case sequence = "seq"
    case keep
  }
}

/// Response of `STREAM.PURGE`.
struct PurgeResponse: Decodable {
  var success: Bool
  var purged: UInt64?
}

/// Body of the LIST / NAMES requests.
struct ListRequest: Encodable {
  var offset: Int
  var subject: String?
}

/// A page of `STREAM.LIST`.
struct StreamListResponse: Decodable {
  var total: Int
  var offset: Int?
  var limit: Int?
  var streams: [StreamInfo]?
}

/// A page of `STREAM.NAMES` / `CONSUMER.NAMES`.
struct NamesResponse: Decodable {
  var total: Int
  var offset: Int?
  var limit: Int?
  var streams: [String]?
  var consumers: [String]?
}

/// Body of `STREAM.MSG.GET` and direct get.
struct MessageGetRequest: Encodable {
  var seq: UInt64?
  var lastBySubject: String?
  enum CodingKeys: String, CodingKey {
    case seq
    case lastBySubject = "last_by_subj"
  }
}
