import CloudEvents
import ConsumerRuntime
import DomainEvents

/// A work message carrying a CloudEvent in binary mode, as one service's work stream delivers
/// it; settlement calls are accepted and ignored (the processor's return value says what it
/// decided).
struct BinaryWorkMessage: WorkMessage {
  let subject: String
  let headers: [(String, String)]
  let payload: [UInt8]
  let stream: String
  let consumer: String
  let streamSequence: UInt64
  let deliveryCount: Int

  init(_ event: CloudEvent, stream: String, consumer: String, sequence: UInt64, delivery: Int = 1) throws {
    let (headers, body) = try CloudEventNATSBinding.encode(event, mode: .binary)
    self.subject = DomainEventKind(cloudEventType: event.type)?.subject ?? "unknown"
    self.headers = headers
    self.payload = body
    self.stream = stream
    self.consumer = consumer
    self.streamSequence = sequence
    self.deliveryCount = delivery
  }

  func ack() async throws {}
  func nak(delay: Duration) async throws {}
  func term(reason: String) async throws {}
  func inProgress() async throws {}
}

/// A dead-letter stream that always stores.
struct AcceptingDeadLetters: DeadLetterSink {
  func publish(_ letter: DeadLetter) async throws {}
}
