/// Delivery metadata carried in a JetStream message's reply (ack) subject.
///
/// Two layouts exist:
/// - v1 (9 tokens): `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<tm>.<pending>`
/// - v2 (11 or more): `$JS.ACK.<domain>.<acchash>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<tm>.<pending>[.<token>…]`,
///   with domain `_` meaning none. nats-server 2.15 sends v2.
public struct JetStreamAckMetadata: Sendable, Hashable {
  /// The JetStream domain (nil when none, `_` on the wire).
  public var domain: String?
  /// The account hash (v2 only).
  public var accountHash: String?
  /// Stream name.
  public var stream: String
  /// Consumer name.
  public var consumer: String
  /// How many times this message has been delivered (1 on first delivery).
  public var delivered: UInt64
  /// Stream sequence.
  public var streamSequence: UInt64
  /// Consumer sequence.
  public var consumerSequence: UInt64
  /// When the message was stored, nanoseconds since the Unix epoch.
  public var timestamp: Int64
  /// Messages still pending for the consumer after this one.
  public var pending: UInt64
  /// The trailing random token of v2 subjects, if any.
  public var token: String?

  /// Creates metadata.
  public init(
    domain: String? = nil, accountHash: String? = nil, stream: String, consumer: String, delivered: UInt64,
    streamSequence: UInt64, consumerSequence: UInt64, timestamp: Int64, pending: UInt64, token: String? = nil
  ) {
    self.domain = domain
    self.accountHash = accountHash
    self.stream = stream
    self.consumer = consumer
    self.delivered = delivered
    self.streamSequence = streamSequence
    self.consumerSequence = consumerSequence
    self.timestamp = timestamp
    self.pending = pending
    self.token = token
  }

  /// The stored time as a `Duration` since the Unix epoch.
  public var timestampSinceEpoch: Duration { .nanoseconds(timestamp) }

  /// Parses a v1 or v2 ack subject; nil for anything else (never traps).
  public static func parse(_ replySubject: String) -> JetStreamAckMetadata? {
    let tokens = replySubject.split(separator: ".", omittingEmptySubsequences: false)
    guard tokens.count >= 9, tokens[0] == "$JS", tokens[1] == "ACK" else { return nil }
    if tokens.contains(where: { $0.isEmpty }) { return nil }
    let base: Int
    var domain: String?
    var accountHash: String?
    var token: String?
    if tokens.count == 9 {
      base = 2
    } else if tokens.count >= 11 {
      base = 4
      domain = tokens[2] == "_" ? nil : String(tokens[2])
      accountHash = String(tokens[3])
      if tokens.count > 11 { token = tokens[11...].joined(separator: ".") }
    } else {
      return nil
    }
    guard
      let delivered = UInt64(tokens[base + 2]),
      let streamSequence = UInt64(tokens[base + 3]),
      let consumerSequence = UInt64(tokens[base + 4]),
      let timestamp = Int64(tokens[base + 5]),
      let pending = UInt64(tokens[base + 6])
    else { return nil }
    return JetStreamAckMetadata(
      domain: domain, accountHash: accountHash, stream: String(tokens[base]),
      consumer: String(tokens[base + 1]),
      delivered: delivered, streamSequence: streamSequence, consumerSequence: consumerSequence,
      timestamp: timestamp, pending: pending, token: token)
  }
}
