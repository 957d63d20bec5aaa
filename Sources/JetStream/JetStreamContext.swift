import Logging
import NATS
import NATSWire

/// The entry point to JetStream over one `NATSClient`: management API, publish with PubAck,
/// pull consumers. A value type; copies share the client.
///
/// API subjects are `<apiPrefix>.<operation>`, where the prefix is `$JS.API`, or
/// `$JS.<domain>.API` when a domain is given, or any custom prefix (imports across accounts).
public struct JetStreamContext: Sendable {
  /// The connection.
  public let client: NATSClient
  /// The API prefix without trailing dot (`$JS.API`, `$JS.<domain>.API`, or custom).
  public let apiPrefix: String
  /// The JetStream domain, if one was given.
  public let domain: String?
  /// Deadline of each API request.
  public var timeout: Duration
  /// Logger (ids and subjects only, never payloads).
  public var logger: Logger

  /// The default API prefix.
  public static let defaultAPIPrefix = "$JS.API"

  /// Creates a context. `domain` selects `$JS.<domain>.API`; `apiPrefix` overrides both.
  public init(
    client: NATSClient, domain: String? = nil, apiPrefix: String? = nil, timeout: Duration = .seconds(5),
    logger: Logger = Logger(label: "jetstream")
  ) {
    self.client = client
    self.domain = domain
    self.apiPrefix = Self.apiPrefix(domain: domain, apiPrefix: apiPrefix)
    self.timeout = timeout
    self.logger = logger
  }

  /// The API prefix for a domain or an explicit prefix (a trailing dot is dropped).
  static func apiPrefix(domain: String?, apiPrefix: String?) -> String {
    if let apiPrefix, !apiPrefix.isEmpty {
      return apiPrefix.hasSuffix(".") ? String(apiPrefix.dropLast()) : apiPrefix
    }
    if let domain, !domain.isEmpty { return "$JS.\(domain).API" }
    return defaultAPIPrefix
  }

  /// The full subject of an API operation (`<prefix>.<operation>`).
  public func apiSubject(_ operation: String) -> String { "\(apiPrefix).\(operation)" }

  /// Sends an API request and returns the raw response body (errors not yet checked).
  /// "No responders" becomes `JetStreamError(.noResponders)` (JetStream not enabled, or wrong domain).
  public func request(_ operation: String, payload: [UInt8] = []) async throws -> [UInt8] {
    let subject = apiSubject(operation)
    do {
      let reply = try await client.request(subject, payload: payload, timeout: timeout)
      return reply.payloadBytes
    } catch let error as NATSError where error.code == .noResponders {
      throw JetStreamError(
        .noResponders, "no JetStream responder on '\(subject)' (JetStream not enabled?)", cause: error)
    } catch let error as NATSError where error.code == .timeout {
      throw JetStreamError(.timeout, "no JetStream answer on '\(subject)' within \(timeout)", cause: error)
    }
  }

  /// Sends an API request and decodes the response, throwing `JetStreamAPIError` for `{"error": …}`.
  func requestDecoding<T: Decodable>(_ type: T.Type, _ operation: String, payload: [UInt8] = []) async throws
    -> T
  {
    let body = try await request(operation, payload: payload)
    return try JetStreamJSON.decodeResponse(T.self, from: body, context: operation)
  }

  /// Sends an API request and decodes the response, also returning the raw bytes.
  func requestRaw<T: Decodable>(_ type: T.Type, _ operation: String, payload: [UInt8]) async throws
    -> JetStreamRawResult<T>
  {
    let body = try await request(operation, payload: payload)
    let value = try JetStreamJSON.decodeResponse(T.self, from: body, context: operation)
    return JetStreamRawResult(raw: body, value: value)
  }

  /// The account's JetStream usage and limits (`$JS.API.INFO`).
  public func accountInfo() async throws -> AccountInfo {
    try await requestDecoding(AccountInfo.self, "INFO")
  }

  /// Checks a stream or consumer name (no `.`, `*`, `>`, whitespace; not empty).
  static func validateName(_ name: String, kind: String) throws {
    guard !name.isEmpty,
      !name.utf8.contains(where: {
        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: ">") || $0 <= 0x20
          || $0 == 0x7F
      })
    else {
      throw JetStreamError(.invalidArgument, "invalid \(kind) name '\(name)'")
    }
  }
}

/// A decoded API response together with the exact bytes the server sent.
public struct JetStreamRawResult<Value: Sendable>: Sendable {
  /// The response body as received.
  public var raw: [UInt8]
  /// The decoded response.
  public var value: Value
}
