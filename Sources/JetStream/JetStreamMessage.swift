import NATS
import NATSWire
import NIOCore
import Synchronization

/// A message delivered by a JetStream consumer, with its delivery metadata and acknowledgements.
///
/// Acknowledgements go to the message's reply subject. At most one terminal acknowledgement
/// (`ack`, `ackSync`, `nak`, `term`) is sent per message: a second one throws
/// `JetStreamError(.alreadyAcknowledged)`. `inProgress()` may be sent any number of times before.
/// Copies of the value share that state.
public struct JetStreamMessage: Sendable {
  /// The subject the message was stored under.
  public var subject: String
  /// The reply (ack) subject, if any.
  public var replyTo: String?
  /// Headers, if any.
  public var headers: NATSHeaders?
  /// The payload (a slice of the read buffer).
  public var payload: ByteBuffer
  /// Delivery metadata parsed from the reply subject the message was delivered with; nil when
  /// it is not a JetStream ack subject. Parsed on first use (as nats.go's `Metadata()`), then
  /// kept: a consumer that only acks never pays for it.
  public var metadata: JetStreamAckMetadata? { ackState.metadata }
  let client: NATSClient?
  let ackState: AckState

  /// Wraps a NATS message delivered by a consumer.
  public init(_ message: NATSMessage, client: NATSClient?) {
    self.subject = message.subject
    self.replyTo = message.replyTo
    self.headers = message.headers
    self.payload = message.payload
    self.client = client
    self.ackState = AckState(deliveredReplyTo: message.replyTo)
  }

  /// The payload copied into an array.
  public var payloadBytes: [UInt8] { Array(payload.readableBytesView) }
  /// The payload as UTF-8 text.
  public var payloadString: String { String(buffer: payload) }
  /// Whether a terminal acknowledgement was sent (or is being sent).
  public var isAcknowledged: Bool { ackState.isTerminal }

  /// What kind of acknowledgement to send.
  enum AckKind: Sendable {
    case ack
    case nak(delay: Duration?)
    case inProgress
    case term(reason: String?)

    var isTerminal: Bool {
      if case .inProgress = self { return false }
      return true
    }

    /// The body sent to the reply subject.
    var body: [UInt8] {
      switch self {
      case .ack: return Self.ackBody
      case .nak(let delay):
        guard let delay else { return Self.nakBody }
        let ns = max(delay.jetStreamNanoseconds, 0)
        return Array("-NAK {\"delay\": \(ns)}".utf8)
      case .inProgress: return Self.inProgressBody
      case .term(let reason):
        guard let reason, !reason.isEmpty else { return Self.termBody }
        return Array("+TERM \(reason)".utf8)
      }
    }

    private static let ackBody = Array("+ACK".utf8)
    private static let nakBody = Array("-NAK".utf8)
    private static let inProgressBody = Array("+WPI".utf8)
    private static let termBody = Array("+TERM".utf8)
  }

  /// State shared by the copies of a message (one allocation per message): whether a terminal
  /// ack was sent (lock-free), and the delivery metadata once parsed.
  final class AckState: Sendable {
    private let terminal = Atomic<Bool>(false)
    private let deliveredReplyTo: String?
    /// `.none` until first parsed; then the result, itself nil for a non-JetStream subject.
    private let parsed = Mutex<JetStreamAckMetadata??>(.none)

    init(deliveredReplyTo: String?) {
      self.deliveredReplyTo = deliveredReplyTo
    }

    var metadata: JetStreamAckMetadata? {
      parsed.withLock { cached in
        if case .some(let metadata) = cached { return metadata }
        let metadata = deliveredReplyTo.flatMap(JetStreamAckMetadata.parse)
        cached = .some(metadata)
        return metadata
      }
    }

    var isTerminal: Bool { terminal.load(ordering: .acquiring) }

    /// Claims the terminal ack; false when it was already claimed.
    func claim() -> Bool {
      terminal.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    /// Gives the claim back after a failed send.
    func release() { terminal.store(false, ordering: .releasing) }
  }
}

extension Duration {
  /// Whole nanoseconds, saturating at the `Int64` bounds.
  var jetStreamNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? Int64.min : Int64.max }
    let (total, overflow2) = ns.addingReportingOverflow(attoseconds / 1_000_000_000)
    if overflow2 { return seconds < 0 ? Int64.min : Int64.max }
    return total
  }
}
