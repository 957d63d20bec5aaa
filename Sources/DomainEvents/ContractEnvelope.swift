/// The seed contract object `{event, publisher, subscriber, payload, metadata}` that is the
/// CloudEvents `data` of every non-REGISTRATION event (003, 004; 000 and 002 per DESIGN §4).
public struct ContractEnvelope<Payload: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
  /// The event name, equal to the kind's raw value (e.g. `progress_note_signed`).
  public var event: String
  /// The publishing core (`CL`, `PM`, `FA`, `CE`).
  public var publisher: String
  /// The subscribing cores as documented by the seed (informational).
  public var subscriber: [String]
  /// The event-specific payload.
  public var payload: Payload
  /// Tenant, actor, time and ids.
  public var metadata: EventMetadata

  /// Creates an envelope from its parts.
  public init(
    event: String, publisher: String, subscriber: [String], payload: Payload, metadata: EventMetadata
  ) {
    self.event = event
    self.publisher = publisher
    self.subscriber = subscriber
    self.payload = payload
    self.metadata = metadata
  }

  /// Creates the envelope for `kind` with the seed's event name, publisher and subscriber list.
  public init(kind: DomainEventKind, payload: Payload, metadata: EventMetadata) {
    self.init(
      event: kind.rawValue, publisher: kind.publisher, subscriber: kind.defaultSubscribers, payload: payload,
      metadata: metadata)
  }
}
