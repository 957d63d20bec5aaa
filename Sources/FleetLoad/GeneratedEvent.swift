import CloudEvents
import DomainEvents

/// One event produced by `LoadGenerator`, ready to publish.
public struct GeneratedEvent: Sendable {
  /// The history subject to publish on (`DomainEventKind.subject`; for an unknown type, the
  /// subject of the real kind it imitates).
  public var subject: String
  /// The CloudEvents envelope (built by `DomainEventEncoder` for valid events).
  public var event: CloudEvent
  /// The contract kind; `nil` only for `Invalidity.unknownType`.
  public var kind: DomainEventKind?
  /// The flow this event belongs to.
  public var flow: FlowKind
  /// True when this is an earlier valid event re-emitted unchanged (same CloudEvents id).
  public var isDuplicate: Bool
  /// How the event breaks its contract; `nil` for valid events.
  public var invalidity: Invalidity?

  /// Creates a generated event.
  public init(
    subject: String, event: CloudEvent, kind: DomainEventKind?, flow: FlowKind, isDuplicate: Bool = false,
    invalidity: Invalidity? = nil
  ) {
    self.subject = subject
    self.event = event
    self.kind = kind
    self.flow = flow
    self.isDuplicate = isDuplicate
    self.invalidity = invalidity
  }

  /// True for an event that satisfies its contract (duplicates included).
  public var isValid: Bool { invalidity == nil }
}
