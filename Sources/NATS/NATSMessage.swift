import NATSWire
import NIOCore

/// A message delivered to a subscription.
public struct NATSMessage: Sendable {
  /// The subject it was published to.
  public var subject: String
  /// The reply subject, if the publisher asked for one.
  public var replyTo: String?
  /// Headers (nil for a plain MSG).
  public var headers: NATSHeaders?
  /// The payload bytes (a slice of the read buffer, no copy).
  public var payload: ByteBuffer
  /// The subscription id it arrived on.
  public var sid: UInt64
  /// Header + payload bytes, as counted against pending limits.
  public var wireSize: Int

  /// Creates a message (mostly for tests and internal use).
  public init(
    subject: String, replyTo: String? = nil, headers: NATSHeaders? = nil, payload: ByteBuffer,
    sid: UInt64 = 0,
    wireSize: Int? = nil
  ) {
    self.subject = subject
    self.replyTo = replyTo
    self.headers = headers
    self.payload = payload
    self.sid = sid
    self.wireSize = wireSize ?? payload.readableBytes + (headers?.encodedLength ?? 0)
  }

  init(_ inbound: NATSInboundMessage) {
    self.subject = inbound.subject
    self.replyTo = inbound.replyTo
    self.headers = inbound.headers
    self.payload = inbound.payload
    self.sid = inbound.sid
    self.wireSize = inbound.wireSize
  }

  /// Inline status code (`NATS/1.0 503`), if any.
  public var status: Int? { headers?.status }
  /// Inline status description, if any.
  public var statusDescription: String? { headers?.statusDescription }
  /// The payload copied into an array.
  public var payloadBytes: [UInt8] { Array(payload.readableBytesView) }
  /// The payload as UTF-8 text.
  public var payloadString: String { String(buffer: payload) }
}

/// What happens to the connection, observable through `NATSClient.events()`.
public enum NATSConnectionEvent: Sendable, CustomStringConvertible {
  case connected(server: String)
  case disconnected
  case reconnected(server: String)
  case lameDuckMode(server: String)
  case serversDiscovered([String])
  case slowConsumer(sid: UInt64, subject: String, dropped: Int)
  case error(NATSError)
  case closed

  public var description: String {
    switch self {
    case .connected(let s): return "connected to \(s)"
    case .disconnected: return "disconnected"
    case .reconnected(let s): return "reconnected to \(s)"
    case .lameDuckMode(let s): return "lame duck mode on \(s)"
    case .serversDiscovered(let urls): return "discovered servers \(urls.joined(separator: ", "))"
    case .slowConsumer(let sid, let subject, let dropped):
      return "slow consumer on sid \(sid) (\(subject)): \(dropped) dropped"
    case .error(let e): return "error: \(e)"
    case .closed: return "closed"
    }
  }
}
