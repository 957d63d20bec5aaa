import DomainEvents
import Foundation
import Logging

// The values a batch is carried in from `prepare(batch:)` through `commit(_:)` to `settle(_:)`.
extension EventProcessor {
  /// Messages checked by `prepare(batch:)`, waiting for `commit(_:)`.
  public struct PreparedBatch<M: WorkMessage>: Sendable {
    var messages: [M]
    var items: [Item]
    var started: ContinuousClock.Instant

    /// Messages in the batch.
    public var count: Int { messages.count }

    /// Appends `other`'s messages (applied in the same transaction, settled after these).
    mutating func append(_ other: PreparedBatch<M>) {
      messages.append(contentsOf: other.messages)
      items.append(contentsOf: other.items)
      started = min(started, other.started)
    }
  }

  /// A batch whose transaction is over (committed, or failed as a whole), waiting for
  /// `settle(_:)`: one result per message.
  public struct CommittedBatch<M: WorkMessage>: Sendable {
    var messages: [M]
    var items: [Item]
    var results: [ProcessingResult]
    var started: ContinuousClock.Instant

    /// Messages in the batch.
    public var count: Int { messages.count }
  }

  /// One message on its way through the pipeline, as `prepare` left it (never changed after).
  ///
  /// A class: batches of up to 1,024 items are merged, handed from stage to stage and read in
  /// async code, and every copy of a struct this size retained each of its fields (the decoded
  /// event's strings and arrays): ~4 % of the service's CPU in the fleet benchmark, much of it on
  /// the writer's serial stage.
  final class Item: Sendable {
    enum Stage: Sendable {
      /// Decided without the database: settle it.
      case settle(ProcessingResult)
      /// Passed steps 0–3: apply it in the batch transaction.
      case apply(InboundEvent)
    }

    let stage: Stage
    let kind: DomainEventKind?
    let identity: EventIdentity
    let receivedAt: Date
    let logger: Logger

    init(stage: Stage, kind: DomainEventKind?, identity: EventIdentity, receivedAt: Date, logger: Logger) {
      self.stage = stage
      self.kind = kind
      self.identity = identity
      self.receivedAt = receivedAt
      self.logger = logger
    }

    /// Whether it goes into the batch transaction (passed steps 0–3).
    var isToApply: Bool {
      if case .apply = stage { return true }
      return false
    }
  }

  /// What the ledger and the dead letter record about an event, decoded or not.
  struct EventIdentity: Sendable {
    var eventId: String
    var eventName: String
    var eventType: String
    var correlationId: String?
    var organizationId: String?
    var dedupeKey: String
    var auditPayload: String?
  }
}
