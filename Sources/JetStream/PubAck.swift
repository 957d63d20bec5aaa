import NIOCore

/// The server's acknowledgement of a JetStream publish.
public struct PubAck: Sendable, Hashable, Codable {
  /// The stream that stored the message.
  public var stream: String
  /// Its stream sequence.
  public var sequence: UInt64
  /// True when the message id was seen inside the duplicate window and the message was not stored again.
  public var duplicate: Bool
  /// The JetStream domain, when there is one.
  public var domain: String?

  /// The stream sequence under its JSON name (`seq`); same as `sequence`.
  public var seq: UInt64 { sequence }

  /// Creates an ack (tests and adapters).
  public init(stream: String, sequence: UInt64, duplicate: Bool = false, domain: String? = nil) {
    self.stream = stream
    self.sequence = sequence
    self.duplicate = duplicate
    self.domain = domain
  }

  enum CodingKeys: String, CodingKey {
    case stream
    case sequence = "seq"
    case duplicate, domain
  }

  /// Decodes; `duplicate` defaults to false.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    stream = try c.decode(String.self, forKey: .stream)
    sequence = try c.decodeIfPresent(UInt64.self, forKey: .sequence) ?? 0
    duplicate = try c.decodeIfPresent(Bool.self, forKey: .duplicate) ?? false
    domain = try c.decodeIfPresent(String.self, forKey: .domain)
  }

  /// Decodes a PubAck reply body: `{"stream":…,"seq":…}`, or throws the `JetStreamAPIError` of
  /// `{"error":{…}}`, or `JetStreamError(.invalidResponse)` for anything else. Never traps.
  public static func decode(_ body: [UInt8]) throws -> PubAck {
    if let ack = fastDecode(body) { return ack }
    return try JetStreamJSON.decodeResponse(PubAck.self, from: body, context: "publish")
  }

  /// ``decode(_:)-([UInt8])`` of a received payload: the common body is read in place, anything
  /// else is copied for the full decoder.
  public static func decode(_ payload: ByteBuffer) throws -> PubAck {
    if let ack = payload.withUnsafeReadableBytes({ fastDecode($0) }) { return ack }
    return try JetStreamJSON.decodeResponse(
      PubAck.self, from: Array(payload.readableBytesView), context: "publish")
  }
}
