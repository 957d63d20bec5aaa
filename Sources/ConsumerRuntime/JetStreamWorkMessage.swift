import JetStream
import NATSWire

/// Adapts a message pulled from a JetStream consumer to the runtime's `WorkMessage`.
public struct JetStreamWorkMessage: WorkMessage {
  /// The underlying JetStream message.
  public let message: JetStreamMessage
  private let fallbackStream: String
  private let fallbackConsumer: String

  /// Wraps a message pulled from `stream`/`consumer` (names used when the ack subject is missing).
  public init(_ message: JetStreamMessage, stream: String, consumer: String) {
    self.message = message
    self.fallbackStream = stream
    self.fallbackConsumer = consumer
  }

  public var subject: String { message.subject }
  public var headers: [(String, String)] {
    message.headers.map { $0.pairs.map { ($0.name, $0.value) } } ?? []
  }
  public var payload: [UInt8] { message.payloadBytes }
  public var stream: String { message.metadata?.stream ?? fallbackStream }
  public var consumer: String { message.metadata?.consumer ?? fallbackConsumer }
  public var streamSequence: UInt64 { message.metadata?.streamSequence ?? 0 }
  public var deliveryCount: Int { Int(clamping: message.metadata?.delivered ?? 1) }

  public func ack() async throws { try await message.ack() }
  public func nak(delay: Duration) async throws { try await message.nak(delay: delay) }
  public func term(reason: String) async throws { try await message.term(reason: reason) }
  public func inProgress() async throws { try await message.inProgress() }
}
