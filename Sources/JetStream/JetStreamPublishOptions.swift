import NATSWire

/// Options of a JetStream publish: deduplication id, expectations the server checks before
/// storing, and the retry policy for "no responders" (a stream leader change).
public struct JetStreamPublishOptions: Sendable, Hashable {
  /// `Nats-Msg-Id`: the stream drops a second message with this id inside its duplicate window.
  public var msgId: String?
  /// `Nats-Expected-Stream`: the subject must be stored by this stream.
  public var expectedStream: String?
  /// `Nats-Expected-Last-Sequence`: the stream's last sequence must be this.
  public var expectedLastSequence: UInt64?
  /// `Nats-Expected-Last-Subject-Sequence`: the last sequence on this subject must be this.
  public var expectedLastSubjectSequence: UInt64?
  /// `Nats-Expected-Last-Msg-Id`: the stream's last message id must be this.
  public var expectedLastMsgId: String?
  /// Deadline of one attempt (nil = the client's request timeout).
  public var timeout: Duration?
  /// Extra attempts after a 503 "no responders" (a stream without leader for a moment).
  public var retryAttempts: Int
  /// Wait between those attempts.
  public var retryWait: Duration

  /// Creates options; by default two retries 250 ms apart on "no responders".
  public init(
    msgId: String? = nil, expectedStream: String? = nil, expectedLastSequence: UInt64? = nil,
    expectedLastSubjectSequence: UInt64? = nil, expectedLastMsgId: String? = nil, timeout: Duration? = nil,
    retryAttempts: Int = 2, retryWait: Duration = .milliseconds(250)
  ) {
    self.msgId = msgId
    self.expectedStream = expectedStream
    self.expectedLastSequence = expectedLastSequence
    self.expectedLastSubjectSequence = expectedLastSubjectSequence
    self.expectedLastMsgId = expectedLastMsgId
    self.timeout = timeout
    self.retryAttempts = retryAttempts
    self.retryWait = retryWait
  }

  /// JetStream header names.
  public enum Header {
    /// Deduplication id.
    public static let msgId = "Nats-Msg-Id"
    /// Expected stream.
    public static let expectedStream = "Nats-Expected-Stream"
    /// Expected last stream sequence.
    public static let expectedLastSequence = "Nats-Expected-Last-Sequence"
    /// Expected last sequence of the subject.
    public static let expectedLastSubjectSequence = "Nats-Expected-Last-Subject-Sequence"
    /// Expected last message id.
    public static let expectedLastMsgId = "Nats-Expected-Last-Msg-Id"
  }

  /// `headers` with these options' headers set (replacing any of the same name).
  public func applied(to headers: NATSHeaders?) -> NATSHeaders? {
    if headers == nil, expectedStream == nil, expectedLastSequence == nil, expectedLastSubjectSequence == nil,
      expectedLastMsgId == nil
    {
      // The usual publish: a msg id and nothing else (no lookup for a line to replace).
      guard let msgId else { return nil }
      var out = NATSHeaders()
      out.append(Header.msgId, msgId)
      return out
    }
    var out = headers ?? NATSHeaders()
    var changed = headers != nil
    if let msgId {
      out[Header.msgId] = msgId
      changed = true
    }
    if let expectedStream {
      out[Header.expectedStream] = expectedStream
      changed = true
    }
    if let expectedLastSequence {
      out[Header.expectedLastSequence] = String(expectedLastSequence)
      changed = true
    }
    if let expectedLastSubjectSequence {
      out[Header.expectedLastSubjectSequence] = String(expectedLastSubjectSequence)
      changed = true
    }
    if let expectedLastMsgId {
      out[Header.expectedLastMsgId] = expectedLastMsgId
      changed = true
    }
    return changed ? out : nil
  }
}
