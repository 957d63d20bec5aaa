import NIOCore

/// A message delivered by the server (`MSG` or `HMSG`).
public struct NATSInboundMessage: Sendable, Equatable {
  /// The subject the message was published to.
  public var subject: String
  /// The subscription id the message was delivered for.
  public var sid: UInt64
  /// The reply subject, when the publisher set one.
  public var replyTo: String?
  /// The headers of an `HMSG`; `nil` for a plain `MSG`.
  public var headers: NATSHeaders?
  /// The payload, a slice of the receive buffer (no copy).
  public var payload: ByteBuffer
  /// Header bytes plus payload bytes as announced on the wire (for pending-bytes accounting).
  public var wireSize: Int

  /// Creates a message. `wireSize` defaults to the payload size plus the encoded header size.
  public init(
    subject: String, sid: UInt64, replyTo: String? = nil, headers: NATSHeaders? = nil,
    payload: ByteBuffer, wireSize: Int? = nil
  ) {
    self.subject = subject
    self.sid = sid
    self.replyTo = replyTo
    self.headers = headers
    self.payload = payload
    self.wireSize = wireSize ?? (payload.readableBytes + (headers?.encodedLength ?? 0))
  }
}
