import CloudEvents
import DomainEvents
import Foundation

/// Valid seed events built with `DomainEventEncoder` and mapped to NATS with `CloudEventNATSBinding`.
enum TestEvents {
  static let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"
  static let otherOrganization = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
  static let encounterId = "5e8a1f7c-2d4b-4c6e-8f1a-3b5d7c9e1f2a"
  /// A fixed processing time.
  static let now = Date(timeIntervalSince1970: 1_776_420_000)
  static let nowText = "2026-04-17T10:00:00.000Z"

  static func newEventId() -> String { UUID().uuidString.lowercased() }

  /// A `progress_note_signed` CloudEvent.
  static func progressNoteSigned(eventId: String, organization: String = organization) throws -> CloudEvent {
    let json = """
      {"event":"progress_note_signed","publisher":"CL","subscriber":["PM","PF","FW"],
       "payload":{"entity_id":"0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d","entity_type":"progress_note",
         "chart_id":"7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d","encounter_id":"\(encounterId)",
         "rendering_provider_id":"2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0","service_date":"2026-04-17",
         "billing_codes":["90837"],"duration_minutes":53,"note_type":"individual",
         "requires_cosignature":false,"cosigned":false},
       "metadata":{"organization_id":"\(organization)","user_id":"2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0",
         "timestamp":"2026-04-17T10:00:00Z","correlation_id":"corr-\(eventId)","event_id":"\(eventId)"}}
      """
    let envelope = try JSONDecoder().decode(
      ContractEnvelope<ProgressNoteSignedPayload>.self, from: Data(json.utf8))
    return try DomainEventEncoder.cloudEvent(kind: .progressNoteSigned, envelope: envelope)
  }

  /// A work message carrying `event` in binary mode, with the JetStream headers a sourced work
  /// stream adds (which must never reach a dead letter).
  static func message(
    _ event: CloudEvent, sequence: UInt64, delivery: Int = 1, mode: CloudEventNATSBinding.Mode = .binary
  ) throws -> FakeWorkMessage {
    let (headers, body) = try CloudEventNATSBinding.encode(event, mode: mode)
    let jetStreamHeaders = [
      ("Nats-Msg-Id", event.id), ("Nats-Stream-Source", "CL_PM_EVENTS 12 cl_pm_events.>"),
    ]
    return FakeWorkMessage(
      subject: DomainEventKind.progressNoteSigned.subject, headers: headers + jetStreamHeaders,
      payload: body, streamSequence: sequence, deliveryCount: delivery)
  }
}
