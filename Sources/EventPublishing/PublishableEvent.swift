import CloudEvents
import DomainEvents
import NATSWire

/// A CloudEvent that passed every check made before publishing, with the subject it goes to.
///
/// The checks, in order: the CloudEvents 1.0 rules (`CloudEvent.validationErrors()`); when the
/// `type` names a seed contract, the full contract (`DomainEventDecoder.decode`); then the subject,
/// which defaults to the contract's subject (`DomainEventKind.subject`) and must be a valid NATS
/// publish subject. An unknown type is allowed only with an explicit subject.
public struct PublishableEvent: Sendable, Hashable {
  /// The validated event.
  public let event: CloudEvent
  /// The subject the event is published to.
  public let subject: String
  /// The seed contract of the event, `nil` for a type outside the catalogue.
  public let kind: DomainEventKind?

  /// Validates `event` and resolves its subject.
  ///
  /// - Parameters:
  ///   - event: the event to check.
  ///   - subject: where to publish; `nil` means the contract's subject.
  /// - Throws: `EventPublishingError` with code `.invalidEvent` (the reason names the broken rule),
  ///   `.unknownSubject` or `.invalidSubject`.
  public init(_ event: CloudEvent, subject: String? = nil) throws(EventPublishingError) {
    let id = Self.shown(event.id)
    let violations = event.validationErrors()
    guard violations.isEmpty else {
      throw EventPublishingError(
        .invalidEvent,
        "event \(id): invalid CloudEvent: " + violations.map(\.description).joined(separator: "; "))
    }
    let kind = DomainEventKind(cloudEventType: event.type)
    if let kind {
      do throws(DomainEventError) {
        _ = try DomainEventDecoder.decode(event)
      } catch {
        throw EventPublishingError(
          .invalidEvent, "event \(id): breaks the \(kind.rawValue) contract: \(error.description)",
          cause: error)
      }
    }
    guard let resolved = subject ?? kind?.subject else {
      throw EventPublishingError(
        .unknownSubject,
        "event \(id): type \"\(Self.shown(event.type))\" has no seed contract, so a subject must be given")
    }
    guard NATSSubject.isValidPublish(resolved) else {
      throw EventPublishingError(
        .invalidSubject, "event \(id): \"\(Self.shown(resolved))\" is not a valid NATS publish subject")
    }
    self.event = event
    self.subject = resolved
    self.kind = kind
  }

  /// An id, type or subject shortened for messages (at most 80 characters).
  static func shown(_ text: String) -> String {
    text.count > 80 ? String(text.prefix(80)) + "…" : text
  }
}
