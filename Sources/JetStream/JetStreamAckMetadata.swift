import NATSWire

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

  /// Parses a v1 or v2 ack subject; nil for anything else (never traps), including subjects
  /// that are not valid publish subjects (whitespace, control bytes, `*` or `>` tokens), which
  /// no server sends.
  ///
  /// The subject rules are `NATSSubject.isValidPublish`'s; then the UTF-8 bytes are read in
  /// place, no intermediate arrays; only the name fields become strings. Numbers are read as
  /// `UInt64(_:)`/`Int64(_:)` read them (an optional sign, then decimal digits).
  public static func parse(_ replySubject: String) -> JetStreamAckMetadata? {
    guard NATSSubject.isValidPublish(replySubject) else { return nil }
    var subject = replySubject
    return subject.withUTF8 { parse(utf8: $0) }
  }

  /// `$JS.ACK.`
  private static let prefix: StaticString = "$JS.ACK."

  /// ``parse(_:)`` over the subject's UTF-8 bytes.
  private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> JetStreamAckMetadata? {
    let prefixLength = prefix.utf8CodeUnitCount
    guard bytes.count > prefixLength else { return nil }
    let prefixMatches = prefix.withUTF8Buffer { expected in
      expected.indices.allSatisfy { bytes[$0] == expected[$0] }
    }
    guard prefixMatches else { return nil }
    // The v2 layout has nine fixed tokens after the prefix, then an optional free-form rest.
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 9) { dots in
      parseTokens(bytes, after: prefixLength, dots: dots)
    }
  }

  /// One pass over the tokens after the prefix of a valid publish subject (so no token is
  /// empty): the positions of the first nine dots go to `dots`; the fields are then read from there.
  private static func parseTokens(
    _ bytes: UnsafeBufferPointer<UInt8>, after prefixLength: Int, dots: UnsafeMutableBufferPointer<Int>
  ) -> JetStreamAckMetadata? {
    let dot = UInt8(ascii: ".")
    var dotCount = 0
    for index in prefixLength..<bytes.count where bytes[index] == dot {
      if dotCount < dots.count { dots[dotCount] = index }
      dotCount += 1
    }
    // Token `i` (0-based, after the prefix) spans from after dot `i - 1` to dot `i`.
    func tokenRange(_ i: Int) -> Range<Int> {
      let start = i == 0 ? prefixLength : dots[i - 1] + 1
      let end = i < dotCount && i < dots.count ? dots[i] : bytes.count
      return start..<end
    }
    func string(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    let tokenCount = dotCount + 1
    let base: Int
    var domain: String?
    var accountHash: String?
    var token: String?
    switch tokenCount {
    case 7:
      base = 0
    case 9...:
      base = 2
      let domainToken = tokenRange(0)
      if domainToken.count != 1 || bytes[domainToken.lowerBound] != UInt8(ascii: "_") {
        domain = string(domainToken)
      }
      accountHash = string(tokenRange(1))
      if tokenCount > 9 { token = string((dots[8] + 1)..<bytes.count) }
    default:
      return nil
    }
    guard
      let delivered = unsigned(bytes, tokenRange(base + 2)),
      let streamSequence = unsigned(bytes, tokenRange(base + 3)),
      let consumerSequence = unsigned(bytes, tokenRange(base + 4)),
      let timestamp = signed(bytes, tokenRange(base + 5)),
      let pending = unsigned(bytes, tokenRange(base + 6))
    else { return nil }
    return JetStreamAckMetadata(
      domain: domain, accountHash: accountHash, stream: string(tokenRange(base)),
      consumer: string(tokenRange(base + 1)),
      delivered: delivered, streamSequence: streamSequence, consumerSequence: consumerSequence,
      timestamp: timestamp, pending: pending, token: token)
  }

  /// An optional `+`/`-` sign and one or more decimal digits whose value fits in `UInt64`.
  private static func signAndMagnitude(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
    -> (negative: Bool, magnitude: UInt64)?
  {
    var index = range.lowerBound
    var negative = false
    if index < range.upperBound, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    guard index < range.upperBound else { return nil }
    var value: UInt64 = 0
    while index < range.upperBound {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
      guard !overflow1, !overflow2 else { return nil }
      value = sum
      index += 1
    }
    return (negative, value)
  }

  /// The token as `UInt64(_:)` reads it (`-0` is zero, other negatives are invalid).
  private static func unsigned(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64? {
    guard let (negative, magnitude) = signAndMagnitude(bytes, range) else { return nil }
    if negative && magnitude != 0 { return nil }
    return magnitude
  }

  /// The token as `Int64(_:)` reads it.
  private static func signed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
    guard let (negative, magnitude) = signAndMagnitude(bytes, range) else { return nil }
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return Int64(truncatingIfNeeded: 0 &- magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int64(magnitude)
  }
}
