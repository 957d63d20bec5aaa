/// A failed message as published to the DLQ stream: the original envelope (body and `ce-*` /
/// `Content-Type` headers unchanged) plus `Fleet-DLQ-*` headers describing the failure.
///
/// Only the runtime's own headers and the envelope's headers are carried: never the original
/// message's JetStream headers (`Nats-Stream-Source`, `Nats-Msg-Id`, …), which the server refuses
/// on a publish (error 10227) or which would deduplicate the letter against the original.
public struct DeadLetter: Sendable, Equatable {
  /// `dlq.<service>.<event name or 'unknown'>`.
  public var subject: String
  /// `dlq:<service>:<stream>:<stream seq>`: the `Nats-Msg-Id`, so a retried publish is deduplicated.
  public var msgId: String
  /// The `Fleet-DLQ-*` headers followed by the original `ce-*` and `Content-Type` headers.
  public var headers: [(String, String)]
  /// The original message body, unchanged.
  public var body: [UInt8]

  /// Creates a letter from its parts.
  public init(subject: String, msgId: String, headers: [(String, String)], body: [UInt8]) {
    self.subject = subject
    self.msgId = msgId
    self.headers = headers
    self.body = body
  }

  /// Compares every part, headers in order.
  public static func == (lhs: DeadLetter, rhs: DeadLetter) -> Bool {
    lhs.subject == rhs.subject && lhs.msgId == rhs.msgId && lhs.body == rhs.body
      && lhs.headers.count == rhs.headers.count
      && zip(lhs.headers, rhs.headers).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
  }

  /// The first value of a header (ASCII case-insensitive name), if present.
  public func header(_ name: String) -> String? {
    DeadLetter.header(name, in: headers)
  }

  /// The first value of a header (ASCII case-insensitive name) in a header list.
  static func header(_ name: String, in headers: [(String, String)]) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.0.lowercased() == wanted }?.1
  }
}

extension DeadLetter {
  /// Builds the letter for a failed message.
  /// - Parameters:
  ///   - service: the service name (ledger `source`).
  ///   - message: the failed delivery; only its `ce-*` and `Content-Type` headers are copied.
  ///   - eventId: CloudEvents id, or the `stream:<stream>:<seq>` fallback.
  ///   - eventName: the event name for the subject, `unknown` when not decodable.
  ///   - eventType: CloudEvents type, `unknown` when not known.
  ///   - error: sanitized error text.
  ///   - kind: `permanent` or `transient_exhausted`.
  ///   - retryCount: retries before giving up.
  ///   - failedAt: ISO 8601 time of the failure.
  public init(
    service: String, message: some WorkMessage, eventId: String, eventName: String, eventType: String,
    error: String, kind: String, retryCount: Int, failedAt: String
  ) {
    var headers: [(String, String)] = [
      (DeadLetterHeader.error, HeaderText.value(error)),
      (DeadLetterHeader.errorKind, kind),
      (DeadLetterHeader.service, service),
      (DeadLetterHeader.consumer, HeaderText.value(message.consumer)),
      (DeadLetterHeader.stream, HeaderText.value(message.stream)),
      (DeadLetterHeader.streamSequence, String(message.streamSequence)),
      (DeadLetterHeader.originalSubject, HeaderText.value(message.subject)),
      (DeadLetterHeader.retryCount, String(retryCount)),
      (DeadLetterHeader.eventId, HeaderText.value(eventId)),
      (DeadLetterHeader.eventType, HeaderText.value(eventType)),
      (DeadLetterHeader.failedAt, failedAt),
    ]
    for (name, value) in message.headers where DeadLetter.isEnvelopeHeader(name) {
      headers.append((name, value))
    }
    self.init(
      subject: "dlq.\(service).\(DeadLetter.subjectToken(eventName))",
      msgId: "dlq:\(service):\(message.stream):\(message.streamSequence)",
      headers: headers, body: message.payload)
  }

  /// `ce-*` and `Content-Type` headers travel with the letter; everything else stays behind.
  static func isEnvelopeHeader(_ name: String) -> Bool {
    let lower = name.lowercased()
    return lower.hasPrefix("ce-") || lower == "content-type"
  }

  /// An event name as subject tokens: wildcards, spaces and empty tokens are replaced so the DLQ
  /// subject is always publishable.
  static func subjectToken(_ eventName: String) -> String {
    let cleaned = String(
      eventName.map { ch -> Character in
        if ch == "*" || ch == ">" || ch.isWhitespace || !ch.isASCII { return "_" }
        return ch
      })
    let tokens = cleaned.split(separator: ".", omittingEmptySubsequences: false)
    if cleaned.isEmpty || tokens.contains(where: { $0.isEmpty }) { return "unknown" }
    return cleaned
  }
}
