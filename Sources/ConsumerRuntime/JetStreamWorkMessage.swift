import JetStream
import NATSWire

/// Adapts a message pulled from a JetStream consumer to the runtime's `WorkMessage`.
public struct JetStreamWorkMessage: WorkMessage {
  /// The underlying JetStream message.
  public let message: JetStreamMessage
  // Read from the ack subject's metadata once: `JetStreamMessage.metadata` takes a lock and
  // copies the parsed fields on every access, and the runtime reads all four for every event.
  public let stream: String
  public let consumer: String
  public let streamSequence: UInt64
  public let deliveryCount: Int

  /// Wraps a message pulled from `stream`/`consumer` (names used when the ack subject is missing).
  public init(_ message: JetStreamMessage, stream: String, consumer: String) {
    self.message = message
    let metadata = message.metadata
    self.stream = metadata?.stream ?? stream
    self.consumer = metadata?.consumer ?? consumer
    self.streamSequence = metadata?.streamSequence ?? 0
    self.deliveryCount = Int(clamping: metadata?.delivered ?? 1)
  }

  public var subject: String { message.subject }
  public var headers: [(String, String)] { message.headers?.unlabeledPairs ?? [] }
  public var payload: [UInt8] { message.payloadBytes }

  public func ack() async throws { try await message.ack() }
  public func nak(delay: Duration) async throws { try await message.nak(delay: delay) }
  public func term(reason: String) async throws { try await message.term(reason: reason) }
  public func inProgress() async throws { try await message.inProgress() }
}
