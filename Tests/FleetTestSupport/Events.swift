import CloudEvents
import DomainEvents
import Foundation

/// Builders for the seed contracts the fleet tests publish.
public enum Events {
  /// A fresh lowercase UUID, as the contracts spell ids.
  public static func id() -> String { UUID().uuidString.lowercased() }
  /// A fixed id for events made by the system rather than a user.
  public static let system = "00000000-0000-0000-0000-000000000001"

  /// Contract metadata for `org` with fresh correlation and user ids.
  public static func metadata(org: String = FleetFixture.orgA, eventId: String = id(), user: String = id())
    -> EventMetadata
  {
    EventMetadata(
      organization_id: org, user_id: user, timestamp: "2026-11-21T10:00:00Z", correlation_id: id(),
      event_id: eventId)
  }

  /// A registered encounter (charge-capture projects it before billing notes on it).
  public static func encounterRegistered(encounter: String, org: String = FleetFixture.orgA) throws
    -> CloudEvent
  {
    let patient = id()
    return try DomainEventEncoder.cloudEvent(
      kind: .encounterRegistered,
      registrationData: EncounterRegisteredData(
        encounterId: encounter, patientId: patient, stablePatientId: patient, tenantId: org,
        encounterType: "AMB",
        status: "planned"),
      id: id(), time: Date(), tenantId: org)
  }

  /// A signed progress note on `encounter` billing `codes` (charge-capture's main input).
  public static func noteSigned(
    encounter: String, codes: [String] = ["90837"], modifiers: [String]? = ["GT"], eventId: String = id(),
    org: String = FleetFixture.orgA
  ) throws -> CloudEvent {
    let payload = ProgressNoteSignedPayload(
      entity_id: id(), chart_id: id(), encounter_id: encounter, rendering_provider_id: id(),
      service_date: "2026-11-20", billing_codes: codes, modifiers: modifiers, duration_minutes: 53,
      note_type: "individual", requires_cosignature: false, cosigned: false)
    return try DomainEventEncoder.cloudEvent(
      kind: .progressNoteSigned,
      envelope: ContractEnvelope(
        kind: .progressNoteSigned, payload: payload, metadata: metadata(org: org, eventId: eventId)))
  }

  /// An accepted inbound referral (care-transitions' input).
  public static func referralAccepted(serviceType: String = "behavioral_health", priority: String = "routine")
    throws
    -> CloudEvent
  {
    let payload = ReferralAcceptedPayload(
      entity_id: id(), patient_id: id(), chart_id: nil, referring_provider_id: id(),
      accepting_provider_id: id(),
      referral_type: "inbound", service_type: serviceType, priority: priority)
    return try DomainEventEncoder.cloudEvent(
      kind: .pmReferralAccepted,
      envelope: ContractEnvelope(kind: .pmReferralAccepted, payload: payload, metadata: metadata()))
  }

  /// A program cost allocation (care-transitions' cost outcome input).
  public static func costAllocated() throws -> CloudEvent {
    let payload = ProgramCostAllocatedPayload(
      entity_id: id(), program_id: id(), program_name: "IOP", period_start: "2026-10-01",
      period_end: "2026-10-31",
      total_cost: 1_250_000, patient_count: 25, allocation_method: "direct")
    return try DomainEventEncoder.cloudEvent(
      kind: .faProgramCostAllocated,
      envelope: ContractEnvelope(kind: .faProgramCostAllocated, payload: payload, metadata: metadata()))
  }

  /// A lead converted by `type` (lead-reconciliation's input), optionally to `patient`.
  public static func leadConverted(
    type: String, kind: DomainEventKind = .ceLeadConvertedToPatient, patient: String? = nil
  )
    throws -> CloudEvent
  {
    let lead = id()
    let correlation = "\(lead)_to_\(type)_1763719200000"
    var meta = metadata()
    meta.correlation_id = correlation
    let payload = LeadConvertedPayload(
      entity_id: lead, lead_id: lead, organization_id: FleetFixture.orgA, conversion_type: type,
      correlation_id: correlation, patient_id: patient, converted_by: id())
    return try DomainEventEncoder.cloudEvent(
      kind: kind, envelope: ContractEnvelope(kind: kind, payload: payload, metadata: meta))
  }

  /// A restraint initiation (gr-incidents' input), with `extra` fields added to its payload.
  public static func restraintInitiated(restraint: String, extra: [String: String] = [:]) throws -> CloudEvent
  {
    let payload = RestraintEventInitiatedPayload(
      entity_id: restraint, chart_id: id(), event_type: "restraint", patient_age_group: "adult",
      max_duration_hours: 4, initiation_time: "2026-11-21T09:00:00Z",
      action_required: "Restraint initiated — verify monitoring and face-to-face compliance",
      supervisor_id: id())
    var event = try DomainEventEncoder.cloudEvent(
      kind: .clRestraintEventInitiated,
      envelope: ContractEnvelope(kind: .clRestraintEventInitiated, payload: payload, metadata: metadata()))
    if !extra.isEmpty, let data = event.data,
      var object = try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
      var inner = object["payload"] as? [String: Any]
    {
      for (k, v) in extra { inner[k] = v }
      object["payload"] = inner
      event.data = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
    return event
  }

  /// One encounter and `notes` signed notes on it.
  public static func encounterWithNotes(_ notes: Int) throws -> (encounter: CloudEvent, notes: [CloudEvent]) {
    let encounter = id()
    return (
      try encounterRegistered(encounter: encounter),
      try (0..<notes).map { _ in try noteSigned(encounter: encounter) }
    )
  }
}
