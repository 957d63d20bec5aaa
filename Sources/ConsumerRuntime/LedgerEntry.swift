import GRDB

/// One row of the `fw_domain_events` ledger.
public struct LedgerEntry: Sendable, Equatable {
  /// Row id (`nil` before insertion).
  public var id: Int64?
  /// CloudEvents id (= metadata.event_id), or `stream:<stream>:<seq>` for an undecodable message.
  public var eventId: String
  /// Event name (`progress_note_signed`, `REGISTRATION.patient.created`) or `unknown`.
  public var eventName: String
  /// metadata.correlation_id when known.
  public var correlationId: String?
  /// `processed` or `failed`.
  public var status: LedgerStatus
  /// Retries before this outcome (0 on a first-delivery success, 3 when transient retries ran out).
  public var retryCount: Int
  /// Sanitized error text of a failed event (never payload bytes).
  public var errorMessage: String?
  /// When the event was processed, ISO 8601 UTC; `nil` unless `status` is `processed`.
  public var processedAt: String?
  /// The envelope as structured-mode CloudEvents JSON, for audit and replay.
  public var eventPayload: String?
  /// The consuming service (`charge-capture`, …).
  public var source: String
  /// The contract's dedupe key (unique per `source`).
  public var dedupeKey: String
  /// Tenant of the event when known.
  public var organizationId: String?
  /// Sequence of the delivery in the work stream.
  public var streamSequence: UInt64?
  /// When the delivery was received, ISO 8601 UTC.
  public var receivedAt: String

  /// Creates a row value.
  public init(
    id: Int64? = nil, eventId: String, eventName: String, correlationId: String?, status: LedgerStatus,
    retryCount: Int, errorMessage: String?, processedAt: String?, eventPayload: String?, source: String,
    dedupeKey: String, organizationId: String?, streamSequence: UInt64?, receivedAt: String
  ) {
    self.id = id
    self.eventId = eventId
    self.eventName = eventName
    self.correlationId = correlationId
    self.status = status
    self.retryCount = retryCount
    self.errorMessage = errorMessage
    self.processedAt = processedAt
    self.eventPayload = eventPayload
    self.source = source
    self.dedupeKey = dedupeKey
    self.organizationId = organizationId
    self.streamSequence = streamSequence
    self.receivedAt = receivedAt
  }
}

extension LedgerEntry: FetchableRecord {
  /// Decodes a row of `fw_domain_events`; an unknown status reads as `failed`, a negative sequence as `nil`.
  public init(row: Row) throws {
    let sequence: Int64? = row["stream_sequence"]
    let statusText: String = row["status"] ?? ""
    self.init(
      id: row["id"], eventId: row["event_id"] ?? "", eventName: row["event_name"] ?? "",
      correlationId: row["correlation_id"], status: LedgerStatus(rawValue: statusText) ?? .failed,
      retryCount: row["retry_count"] ?? 0, errorMessage: row["error_message"],
      processedAt: row["processed_at"], eventPayload: row["event_payload"], source: row["source"] ?? "",
      dedupeKey: row["dedupe_key"] ?? "", organizationId: row["organization_id"],
      streamSequence: sequence.flatMap { UInt64(exactly: $0) }, receivedAt: row["received_at"] ?? "")
  }
}
