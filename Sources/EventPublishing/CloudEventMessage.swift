import CloudEvents
import NATS
import NATSWire
import NIOCore

/// Maps a CloudEvent to a NATS message and back (DESIGN §4), in both content modes.
///
/// Publishing uses binary mode by default: every attribute as a `ce-` header, `data` as the body.
/// The JetStream deduplication header `Nats-Msg-Id` carries the event id unless another message id
/// is given (a replay publishes with a fresh one). Decoding accepts binary and structured mode.
public enum CloudEventMessage {
  /// The headers and body of `event` as a NATS message.
  ///
  /// - Parameters:
  ///   - event: the event; it must satisfy the CloudEvents rules.
  ///   - mode: binary (default) or structured (`application/cloudevents+json` body).
  ///   - msgId: the `Nats-Msg-Id` value; `nil` means `event.id`.
  /// - Throws: `EventPublishingError` `.invalidEvent` naming the first violated rule.
  public static func encode(
    _ event: CloudEvent, mode: CloudEventNATSBinding.Mode = .binary, msgId: String? = nil
  ) throws(EventPublishingError) -> (headers: NATSHeaders, body: [UInt8]) {
    let encoded: (headers: [(String, String)], body: [UInt8])
    do throws(CloudEventValidationError) {
      encoded = try CloudEventNATSBinding.encode(event, mode: mode)
    } catch {
      throw EventPublishingError(
        .invalidEvent, "event \(PublishableEvent.shown(event.id)): invalid CloudEvent: \(error)", cause: error
      )
    }
    var headers = NATSHeaders(encoded.headers)
    headers[NATSHeaders.Name.msgId] = msgId ?? event.id
    return (headers, encoded.body)
  }

  /// The headers of `event` as a NATS message (see `encode(_:mode:msgId:)`; the body is `data` in
  /// binary mode and the JSON format in structured mode).
  public static func headers(
    for event: CloudEvent, mode: CloudEventNATSBinding.Mode = .binary, msgId: String? = nil
  ) throws(EventPublishingError) -> NATSHeaders {
    try encode(event, mode: mode, msgId: msgId).headers
  }

  /// Decodes a message in either content mode (binary iff a `ce-specversion` header is present).
  ///
  /// - Throws: `CloudEventDecodingError` naming the broken rule; never traps on malformed input.
  public static func decode(headers: NATSHeaders?, payload: [UInt8]) throws(CloudEventDecodingError)
    -> CloudEvent
  {
    let pairs = headers?.unlabeledPairs ?? []
    return try CloudEventNATSBinding.decode(headers: pairs, body: payload)
  }

  /// Decodes a message whose payload is a `ByteBuffer` (the readable bytes; the buffer is not consumed).
  public static func decode(headers: NATSHeaders?, payload: ByteBuffer) throws(CloudEventDecodingError)
    -> CloudEvent
  {
    try decode(headers: headers, payload: Array(payload.readableBytesView))
  }

  /// Decodes a received NATS message.
  public static func decode(_ message: NATSMessage) throws(CloudEventDecodingError) -> CloudEvent {
    try decode(headers: message.headers, payload: message.payload)
  }
}
