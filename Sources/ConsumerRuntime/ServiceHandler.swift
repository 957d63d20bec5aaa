import CloudEvents
import DomainEvents
import Foundation
import GRDB
import Logging

/// One consumer service's business rules, run by `EventProcessor` inside one SQLite
/// transaction per event: ledger check → `handle` → notification outbox rows → ledger row → COMMIT → ACK.
///
/// A handler never talks to NATS and never commits: it only reads and writes its own tables
/// through the open `Database` and records notifications in the context. Throwing
/// `HandlerError.transient` gets the event retried (NAK 1 s, 2 s, 4 s, then a dead letter);
/// `HandlerError.permanent` dead-letters it at once. Either way the transaction is rolled back,
/// so a failed event leaves no effect behind.
public protocol ServiceHandler: Sendable {
  /// The service name used for the ledger `source`, metrics and logs, e.g. `charge-capture`.
  var serviceName: String { get }
  /// Event kinds this service consumes; any other kind is a permanent error.
  var consumes: Set<DomainEventKind> { get }
  /// Registers the service's own tables (effects). The runtime adds the ledger and outbox tables.
  func registerMigrations(_ migrator: inout DatabaseMigrator)
  /// Applies the effects of one validated event inside the open transaction. Effects belong in
  /// `db` and `context` only: the runtime may roll a batch back and apply it again (when another
  /// event of the batch failed), so state kept anywhere else would outlive the rollback.
  func handle(_ event: InboundEvent, db: Database, context: inout HandlerContext) throws
  /// The envelope stored in the ledger's `event_payload` (audit and replay). The default is the
  /// received CloudEvent unchanged; a service that must not persist unexpected free text (GR, seed
  /// 004) returns a copy with those fields stripped or hashed.
  func auditEnvelope(for event: InboundEvent) -> CloudEvent
}

extension ServiceHandler {
  /// The received CloudEvent, unchanged.
  public func auditEnvelope(for event: InboundEvent) -> CloudEvent {
    event.decoded.cloudEvent
  }
}

/// A decoded, validated event as the runtime hands it to a handler.
public struct InboundEvent: Sendable {
  /// The typed seed contract (and the CloudEvent it came from).
  public let decoded: DecodedDomainEvent
  /// Subject the message was published on (the original history subject).
  public let subject: String
  /// Sequence of the message in the work stream.
  public let streamSequence: UInt64
  /// How many times JetStream has delivered this message (1 on first delivery).
  public let deliveryCount: Int

  /// Creates the value the runtime hands to `ServiceHandler.handle`.
  public init(decoded: DecodedDomainEvent, subject: String, streamSequence: UInt64, deliveryCount: Int) {
    self.decoded = decoded
    self.subject = subject
    self.streamSequence = streamSequence
    self.deliveryCount = deliveryCount
  }
}

/// Why a handler could not apply an event.
public enum HandlerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// May succeed later (a referenced row not there yet, a busy dependency, "429"): retried.
  case transient(String)
  /// Will never succeed (invalid payload, rule violation, the seeds' "4xx"): dead-lettered at once.
  case permanent(String)

  /// `transient: <message>` or `permanent: <message>`.
  public var description: String {
    switch self {
    case .transient(let m): return "transient: \(m)"
    case .permanent(let m): return "permanent: \(m)"
    }
  }
}

/// What a handler may use besides the database: the clock, a logger (ids only, never payloads)
/// and the notification outbox of the current transaction.
public struct HandlerContext: Sendable {
  /// Processing time of this event (injected in tests).
  public let now: Date
  /// Logger with `event_id`, `event_type` and `stream_seq` metadata already attached.
  public let logger: Logger
  /// Notifications to write into `pf_notifications` in the same transaction.
  public internal(set) var notifications: [OutboxNotification] = []

  /// Creates a context (the runtime does this per event; services' unit tests may too).
  public init(now: Date, logger: Logger) {
    self.now = now
    self.logger = logger
  }

  /// Queues a PF-10 notification; it is written in the event's transaction and published by the relay.
  public mutating func notify(_ notification: OutboxNotification) {
    notifications.append(notification)
  }
}

/// A PF-10 notification as stored in the `pf_notifications` outbox. Identifiers and codes only:
/// never a name, a date of birth or narrative text.
public struct OutboxNotification: Sendable, Equatable, Codable {
  /// Deterministic id (derived from the event id and the recipient) so a retried transaction
  /// never creates a second row.
  public var id: String
  /// Tenant the notification belongs to (the notification subject is `notifications.<organization_id>.<template>`).
  public var organizationId: String
  /// `profile` (a pf_profiles.id in `recipientId`) or `role` (a role name in `recipientId`,
  /// e.g. `billing`, `system_admin`, `escalation`).
  public var recipientType: String
  /// The profile id or role name, depending on `recipientType`.
  public var recipientId: String
  /// `info`, `warning`, `high`, `critical`.
  public var severity: String
  /// Template key, e.g. `charge_manual_review`, `care_transition_assigned`.
  public var template: String
  /// Id of the event that caused the notification.
  public var eventId: String
  /// The entity the notification is about (UUID).
  public var entityId: String?
  /// Type of `entityId`, e.g. `charge_suggestion`.
  public var entityType: String?

  /// Creates a notification.
  public init(
    id: String, organizationId: String, recipientType: String, recipientId: String, severity: String,
    template: String, eventId: String, entityId: String? = nil, entityType: String? = nil
  ) {
    self.id = id
    self.organizationId = organizationId
    self.recipientType = recipientType
    self.recipientId = recipientId
    self.severity = severity
    self.template = template
    self.eventId = eventId
    self.entityId = entityId
    self.entityType = entityType
  }
}
