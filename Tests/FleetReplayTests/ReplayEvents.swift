import CloudEvents
import DomainEvents
import Foundation

/// Builders for the seed events the replay tests publish (charge-capture's inputs).
enum ReplayEvents {
  static func id() -> String { UUID().uuidString.lowercased() }

  static func encounterRegistered(encounter: String, org: String = ReplayFleet.org) throws -> CloudEvent {
    let patient = id()
    return try DomainEventEncoder.cloudEvent(
      kind: .encounterRegistered,
      registrationData: EncounterRegisteredData(
        encounterId: encounter, patientId: patient, stablePatientId: patient, tenantId: org,
        encounterType: "AMB",
        status: "planned"),
      id: id(), time: Date(), tenantId: org)
  }

  static func noteSigned(encounter: String, org: String = ReplayFleet.org) throws -> CloudEvent {
    let payload = ProgressNoteSignedPayload(
      entity_id: id(), chart_id: id(), encounter_id: encounter, rendering_provider_id: id(),
      service_date: "2026-11-20", billing_codes: ["90837"], modifiers: ["GT"], duration_minutes: 53,
      note_type: "individual", requires_cosignature: false, cosigned: false)
    let metadata = EventMetadata(
      organization_id: org, user_id: id(), timestamp: "2026-11-21T10:00:00Z", correlation_id: id(),
      event_id: id())
    return try DomainEventEncoder.cloudEvent(
      kind: .progressNoteSigned,
      envelope: ContractEnvelope(kind: .progressNoteSigned, payload: payload, metadata: metadata))
  }

  /// One encounter and `notes` signed notes on it.
  static func encounterWithNotes(_ notes: Int) throws -> (encounter: CloudEvent, notes: [CloudEvent]) {
    let encounter = id()
    return (
      try encounterRegistered(encounter: encounter),
      try (0..<notes).map { _ in try noteSigned(encounter: encounter) }
    )
  }
}
