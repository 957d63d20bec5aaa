import JetStream
import StreamTopology

/// The management calls of `fleet` on the JetStream module: raw-config create/update, raw info.
extension JetStreamContext: JetStreamAdministration {
  /// `STREAM.INFO` as JSON; `nil` for err_code 10059 (stream not found).
  public func streamInfoJSON(named name: String) async throws -> JSONValue? {
    do {
      return try Self.parse(try await streamInfoRaw(name).raw, what: "STREAM.INFO.\(name)")
    } catch let error as JetStreamAPIError where error.errorCode == JetStreamAPIError.Code.streamNotFound {
      return nil
    }
  }

  /// `CONSUMER.INFO` as JSON; `nil` for err_code 10059 or 10014 (stream or consumer not found).
  public func consumerInfoJSON(stream: String, name: String) async throws -> JSONValue? {
    do {
      return try Self.parse(
        try await consumerInfoRaw(stream: stream, name: name).raw, what: "CONSUMER.INFO.\(stream).\(name)")
    } catch let error as JetStreamAPIError
      where error.errorCode == JetStreamAPIError.Code.streamNotFound
      || error.errorCode == JetStreamAPIError.Code.consumerNotFound
    {
      return nil
    }
  }

  /// Every page of `STREAM.LIST`.
  public func streamInfosJSON() async throws -> [JSONValue] {
    try await pages("STREAM.LIST", member: "streams")
  }

  /// Every page of `CONSUMER.LIST.<stream>`.
  public func consumerInfosJSON(stream: String) async throws -> [JSONValue] {
    try await pages("CONSUMER.LIST.\(stream)", member: "consumers")
  }

  /// `createStream(rawConfig:)` with the serialized configuration.
  public func createStream(json: JSONValue) async throws {
    _ = try await createStream(rawConfig: json.serialized())
  }

  /// `updateStream(rawConfig:)` with the serialized configuration.
  public func updateStream(json: JSONValue) async throws {
    _ = try await updateStream(rawConfig: json.serialized())
  }

  /// `createOrUpdateConsumer(stream:rawConfig:action:)` with the serialized configuration.
  public func createOrUpdateConsumer(stream: String, json: JSONValue, action: ConsumerCreateAction)
    async throws
  {
    _ = try await createOrUpdateConsumer(stream: stream, rawConfig: json.serialized(), action: action)
  }

  /// Every item of a paged LIST operation.
  private func pages(_ operation: String, member: String) async throws -> [JSONValue] {
    var items: [JSONValue] = []
    while true {
      let body: JSONValue = ["offset": .int(Int64(items.count))]
      let page = try Self.parse(try await request(operation, payload: body.serialized()), what: operation)
      let batch = page[member]?.arrayValue ?? []
      items += batch
      if batch.isEmpty || items.count >= page["total"]?.intValue ?? 0 { return items }
    }
  }

  /// Parses an API response; an `error` member throws ``JetStream/JetStreamAPIError``.
  private static func parse(_ bytes: [UInt8], what: String) throws -> JSONValue {
    let json: JSONValue
    do {
      json = try JSONValue(parsing: bytes)
    } catch {
      throw JetStreamError(.invalidResponse, "invalid JSON in the reply to \(what): \(error)")
    }
    if let failure = json["error"], !failure.isNull {
      throw JetStreamAPIError(
        code: failure["code"]?.intValue ?? 0, errorCode: failure["err_code"]?.intValue ?? 0,
        description: failure["description"]?.stringValue ?? "JetStream API error")
    }
    return json
  }
}
