import CloudEvents
import DomainEvents
import Foundation

/// Building envelopes with `DomainEventEncoder` and recording what was emitted.
extension LoadGenerator {
  /// The contract event of `kind` at the current time, with a fresh event id. `remember: false`
  /// keeps it out of the duplicate pool (invalid events' carriers).
  mutating func contractEvent<Payload: Codable & Sendable & Hashable>(
    _ kind: DomainEventKind, _ payload: Payload, _ context: FlowStep.Context, userID: String,
    siteID: String? = nil, correlationID: String? = nil, remember: Bool = true
  ) -> GeneratedEvent {
    let metadata = EventMetadata(
      organization_id: organizations[context.organization].id, site_id: siteID, user_id: userID,
      timestamp: clock.dateTime, correlation_id: correlationID ?? context.correlationID,
      event_id: random.uuid())
    let envelope = ContractEnvelope(kind: kind, payload: payload, metadata: metadata)
    let time = clock.date
    let unvalidated = {
      Self.unvalidatedEvent(
        kind, id: metadata.event_id, time: time,
        extensions: [
          "correlationid": .string(metadata.correlation_id),
          "organizationid": .string(metadata.organization_id),
        ], data: envelope)
    }
    let event: CloudEvent
    if validatesEnvelopes {
      // A failure is unreachable for the payloads built here (the tests decode every valid event);
      // keep the same envelope shape rather than trap.
      event = (try? DomainEventEncoder.cloudEvent(kind: kind, envelope: envelope)) ?? unvalidated()
    } else {
      event = unvalidated()
    }
    let generated = GeneratedEvent(subject: kind.subject, event: event, kind: kind, flow: context.flow)
    return remember ? record(generated) : generated
  }

  /// The REGISTRATION event of `kind` at the current time, with a fresh CloudEvents id; with the
  /// `correlationid` extension when `correlationExtension` is given. `remember: false` keeps it out
  /// of the duplicate pool (invalid events' carriers).
  mutating func registrationEvent<Body: Encodable>(
    _ kind: DomainEventKind, _ data: Body, _ context: FlowStep.Context, correlationExtension: String? = nil,
    remember: Bool = true
  ) -> GeneratedEvent {
    let tenant = organizations[context.organization].id
    let id = random.uuid()
    let time = clock.date
    let unvalidated = {
      Self.unvalidatedEvent(
        kind, id: id, time: time, extensions: ["organizationid": .string(tenant)], data: data)
    }
    var event: CloudEvent
    if validatesEnvelopes {
      event =
        (try? DomainEventEncoder.cloudEvent(
          kind: kind, registrationData: data, id: id, time: time, tenantId: tenant)) ?? unvalidated()
    } else {
      event = unvalidated()
    }
    if let correlationExtension { event.extensions["correlationid"] = .string(correlationExtension) }
    let generated = GeneratedEvent(subject: kind.subject, event: event, kind: kind, flow: context.flow)
    return remember ? record(generated) : generated
  }

  /// Remembers a valid original event as a candidate for later duplicates.
  mutating func record(_ generated: GeneratedEvent) -> GeneratedEvent {
    if recent.count < Self.recentCapacity {
      recent.append(generated)
    } else {
      recent[recentCursor] = generated
      recentCursor = (recentCursor + 1) % Self.recentCapacity
    }
    return generated
  }

  /// The JSON the encoder would produce (sorted keys, unescaped slashes); `{}` if encoding fails.
  static func jsonBytes<Value: Encodable>(_ value: Value) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
  }

  /// The CloudEvent `DomainEventEncoder` builds, without its validating decode: the same
  /// attributes, extensions and data bytes.
  static func unvalidatedEvent<Value: Encodable>(
    _ kind: DomainEventKind, id: String, time: Date, extensions: [String: CloudEventExtensionValue],
    data: Value
  ) -> CloudEvent {
    CloudEvent(
      id: id, source: kind.cloudEventSource, type: kind.cloudEventType, datacontenttype: "application/json",
      time: CloudEventTimestamp(date: time), extensions: extensions, data: jsonBytes(data))
  }

  // MARK: Shared building blocks

  /// A new patient (not yet announced) of the flow's organization.
  mutating func newPatient(
    _ context: FlowStep.Context, chart: Bool, id: String? = nil, isUnidentified: Bool = false,
    isProvisional: Bool = false, isNewborn: Bool = false
  ) -> LoadOrganization.Patient {
    let patientID = id ?? random.uuid()
    let chartID = chart ? random.uuid() : nil
    let code = organizations[context.organization].code
    let mrn = "PAT-\(code)-\(random.digits(13))"
    return LoadOrganization.Patient(
      id: patientID, mrn: mrn, chartID: chartID, isUnidentified: isUnidentified,
      isProvisional: isProvisional || isUnidentified, isNewborn: isNewborn,
      temporaryEnterpriseKey: isUnidentified ? "UNK-\(code)-\(random.digits(13))" : nil,
      unidentifiedSlaDueAt: isUnidentified ? SimulatedClock.dateTime(clock.millis + 72 * 3_600_000) : nil)
  }

  /// Emits `REGISTRATION.patient.created` for `patient` and adds it to the organization.
  mutating func patientCreated(
    _ context: FlowStep.Context, _ patient: LoadOrganization.Patient, correlationExtension: String?
  ) -> GeneratedEvent {
    let data = PatientCreatedData(
      patientId: patient.id, stablePatientId: patient.id, mrn: patient.mrn,
      tenantId: organizations[context.organization].id, isUnidentified: patient.isUnidentified,
      isProvisional: patient.isProvisional, isNewborn: patient.isNewborn,
      temporaryEnterpriseKey: patient.temporaryEnterpriseKey,
      unidentifiedSlaDueAt: patient.unidentifiedSlaDueAt)
    organizations[context.organization].add(patient)
    return registrationEvent(.patientCreated, data, context, correlationExtension: correlationExtension)
  }

  /// A staff member of the flow's organization drawn from `keyPath`.
  mutating func member(_ context: FlowStep.Context, _ keyPath: KeyPath<LoadOrganization, [String]>) -> String
  {
    random.element(of: organizations[context.organization][keyPath: keyPath]) ?? SystemActor.profileID
  }
}
