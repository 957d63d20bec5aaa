import CloudEvents
import DomainEvents
import Foundation

/// Deliberately invalid events: a valid event of a real kind (with fresh ids, touching no flow
/// state) whose data or type is then broken in one documented way. The result is still valid JSON
/// and a valid CloudEvent; only the contract check rejects it.
extension LoadGenerator {
  /// How a JSON member is broken.
  enum Corruption {
    case remove
    case replace(String)
  }

  mutating func makeInvalidEvent() -> GeneratedEvent {
    let invalidity = Invalidity.allCases[random.int(below: Invalidity.allCases.count)]
    let context = FlowStep.Context(
      flow: .registrationMisc, organization: random.int(below: organizations.count),
      correlationID: random.uuid())
    let kind = random.element(of: Self.carriers(for: invalidity)) ?? .progressNoteSigned
    var generated = carrierEvent(kind, context)
    generated.invalidity = invalidity
    if invalidity == .unknownType {
      generated.event.type = Self.unknownType(imitating: kind)
      generated.kind = nil
      return generated
    }
    let (path, corruption) = corruption(invalidity, kind)
    guard let data = generated.event.data, let broken = Self.corrupt(data, path: path, corruption) else {
      // The carrier's data is always a JSON object; if it ever is not, break the type instead.
      generated.event.type = Self.unknownType(imitating: kind)
      generated.kind = nil
      generated.invalidity = .unknownType
      return generated
    }
    generated.event.data = broken
    return generated
  }

  /// The kinds each invalidity is applied to.
  static func carriers(for invalidity: Invalidity) -> [DomainEventKind] {
    switch invalidity {
    case .missingRequiredField:
      return [
        .progressNoteSigned, .pmReferralAccepted, .clRestraintEventInitiated, .clCrisisEpisodeOpened,
        .ceLeadConvertedToPatient, .pmPatientMerged, .patientCreated,
      ]
    case .badUUID:
      return [
        .progressNoteSigned, .pmReferralAccepted, .clRestraintEventInitiated, .pmPatientMerged,
        .patientCreated,
        .clCrisisEpisodeResolved,
      ]
    case .badDate:
      return [
        .progressNoteSigned, .clCrisisEpisodeResolved, .clRestraintEventInitiated, .faProgramCostAllocated,
        .patientVitalStatusChanged,
      ]
    case .unknownType:
      return [
        .progressNoteSigned, .clRestraintEventInitiated, .pmPatientMerged, .ceLeadConvertedToPatient,
        .patientCreated,
      ]
    case .wrongEntityType:
      return [
        .progressNoteSigned, .pmReferralAccepted, .clCrisisEpisodeOpened, .clRestraintEventInitiated,
        .ceLeadConvertedToPatient, .pmPatientMerged, .faProgramCostAllocated, .clCrisisEpisodeResolved,
      ]
    case .badEnum:
      return [
        .progressNoteSigned, .pmReferralAccepted, .clCrisisEpisodeOpened, .clCrisisEpisodeResolved,
        .ceLeadConvertedToPatient, .faProgramCostAllocated,
      ]
    }
  }

  /// A CloudEvents type no contract has, close to `kind`'s (aliases and future events the seeds
  /// warn about).
  static func unknownType(imitating kind: DomainEventKind) -> String {
    switch kind {
    case .clRestraintEventInitiated: return "encoreos.cl.cl_restraint_event_documented"
    case .pmPatientMerged: return "encoreos.pm.pm_patient_merge_undone"
    case .ceLeadConvertedToPatient: return "encoreos.ce.ce_lead_converted_to_client"
    case .patientCreated: return "ghasi.registration.patient.archived"
    default: return "encoreos.cl.progress_note_amended"
    }
  }

  /// The member to break in `kind`'s data and how.
  private mutating func corruption(_ invalidity: Invalidity, _ kind: DomainEventKind) -> (
    [String], Corruption
  ) {
    switch invalidity {
    case .missingRequiredField:
      switch kind {
      case .pmReferralAccepted: return (["payload", "patient_id"], .remove)
      case .clRestraintEventInitiated: return (["payload", "initiation_time"], .remove)
      case .clCrisisEpisodeOpened: return (["metadata", "site_id"], .remove)
      case .ceLeadConvertedToPatient: return (["payload", "converted_by"], .remove)
      case .pmPatientMerged: return (["payload", "merge_log_id"], .remove)
      case .patientCreated: return (["mrn"], .remove)
      default: return (["payload", "encounter_id"], .remove)
      }
    case .badUUID:
      let value = badUUID()
      switch kind {
      case .pmReferralAccepted: return (["payload", "patient_id"], .replace(value))
      case .clRestraintEventInitiated: return (["payload", "chart_id"], .replace(value))
      case .pmPatientMerged: return (["payload", "survivor_patient_id"], .replace(value))
      case .patientCreated: return (["patientId"], .replace(value))
      case .clCrisisEpisodeResolved: return (["payload", "rendering_provider_id"], .replace(value))
      default: return (["payload", "encounter_id"], .replace(value))
      }
    case .badDate:
      switch kind {
      case .clCrisisEpisodeResolved: return (["payload", "service_date"], .replace(badDate()))
      case .clRestraintEventInitiated: return (["payload", "initiation_time"], .replace(badDateTime()))
      case .faProgramCostAllocated: return (["payload", "period_start"], .replace(badDate()))
      case .patientVitalStatusChanged: return (["deceasedDateTime"], .replace(badDateTime()))
      default: return (["payload", "service_date"], .replace(badDate()))
      }
    case .wrongEntityType:
      let wrong: String
      switch kind {
      case .pmReferralAccepted: wrong = "referral_request"
      case .clCrisisEpisodeOpened, .clCrisisEpisodeResolved: wrong = "crisis"
      case .clRestraintEventInitiated: wrong = "restraint"
      case .ceLeadConvertedToPatient: wrong = "prospect"
      case .pmPatientMerged: wrong = "patient"
      case .faProgramCostAllocated: wrong = "allocation"
      default: wrong = "note"
      }
      return (["payload", "entity_type"], .replace(wrong))
    case .badEnum:
      switch kind {
      case .pmReferralAccepted: return (["payload", "priority"], .replace("stat"))
      case .clCrisisEpisodeOpened: return (["payload", "crisis_type"], .replace("drive_through"))
      case .clCrisisEpisodeResolved: return (["payload", "crisis_type"], .replace("inpatient"))
      case .ceLeadConvertedToPatient: return (["payload", "conversion_type"], .replace("lead_to_client"))
      case .faProgramCostAllocated: return (["payload", "allocation_method"], .replace("weighted_average"))
      default: return (["payload", "note_type"], .replace("therapy"))
      }
    case .unknownType:
      return ([], .remove)
    }
  }

  private mutating func badUUID() -> String {
    let uuid = random.uuid()
    switch random.int(below: 4) {
    case 0: return "ENC-\(random.digits(8))"
    case 1: return uuid.replacingOccurrences(of: "-", with: "")
    case 2: return String(uuid.dropLast())
    default: return "{\(uuid)}"
    }
  }

  private mutating func badDate() -> String {
    let today = SimulatedClock.civil(clock.millis)
    switch random.int(below: 3) {
    case 0: return "\(today.year)-02-30"
    case 1: return "\(today.year)-13-01"
    default:
      return String(SimulatedClock.day(clock.millis).split(separator: "-").reversed().joined(separator: "/"))
    }
  }

  private mutating func badDateTime() -> String {
    let day = clock.day
    switch random.int(below: 3) {
    case 0: return "\(day) 10:15:00"
    case 1: return "\(day)T25:00:00Z"
    default: return "\(day)T10:15:00"
    }
  }

  /// `data` with the member at `path` removed or replaced by a string; `nil` when `data` is not a
  /// JSON object or the member is absent.
  static func corrupt(_ data: [UInt8], path: [String], _ corruption: Corruption) -> [UInt8]? {
    guard let value = try? JSONDecoder().decode(EventJSONValue.self, from: Data(data)),
      let broken = corrupt(value, path: path[...], corruption)
    else { return nil }
    return jsonBytes(broken)
  }

  private static func corrupt(_ value: EventJSONValue, path: ArraySlice<String>, _ corruption: Corruption)
    -> EventJSONValue?
  {
    guard case .object(var members) = value, let key = path.first, let child = members[key] else {
      return nil
    }
    if path.count == 1 {
      switch corruption {
      case .remove: members.removeValue(forKey: key)
      case .replace(let text): members[key] = .string(text)
      }
    } else {
      guard let updated = corrupt(child, path: path.dropFirst(), corruption) else { return nil }
      members[key] = updated
    }
    return .object(members)
  }

  // MARK: Carriers

  /// A valid event of `kind` with fresh ids; not remembered for duplicates and not part of any flow.
  private mutating func carrierEvent(_ kind: DomainEventKind, _ context: FlowStep.Context) -> GeneratedEvent {
    var context = context
    let clinician = member(context, \.clinicians)
    let site = member(context, \.sites)
    let organizationID = organizations[context.organization].id
    let generated: GeneratedEvent
    switch kind {
    case .pmReferralAccepted:
      context.flow = .referralAccepted
      generated = contractEvent(
        kind,
        ReferralAcceptedPayload(
          entity_id: random.uuid(), patient_id: random.uuid(), referring_provider_id: random.uuid(),
          accepting_provider_id: clinician, referral_type: "inbound", service_type: "behavioral_health",
          priority: "routine"), context, userID: clinician, remember: false)
    case .clRestraintEventInitiated:
      context.flow = .restraint
      generated = contractEvent(
        kind,
        RestraintEventInitiatedPayload(
          entity_id: random.uuid(), chart_id: random.uuid(), event_type: "restraint",
          patient_age_group: "adult",
          max_duration_hours: 4, initiation_time: clock.dateTime,
          action_required: ClinicalCodes.restraintAction),
        context, userID: clinician, siteID: site, remember: false)
    case .clCrisisEpisodeOpened:
      context.flow = .crisis
      generated = contractEvent(
        kind,
        CrisisEpisodeOpenedPayload(
          entity_id: random.uuid(), chart_id: random.uuid(), crisis_type: "walk_in", risk_level: "high",
          assigned_clinician_id: clinician), context, userID: clinician, siteID: site, remember: false)
    case .clCrisisEpisodeResolved:
      context.flow = .crisis
      generated = contractEvent(
        kind,
        CrisisEpisodeResolvedPayload(
          entity_id: random.uuid(), chart_id: random.uuid(), crisis_type: "mobile", service_date: clock.day,
          billing_code: "H2011", duration_minutes: 45, rendering_provider_id: clinician),
        context, userID: clinician, remember: false)
    case .ceLeadConvertedToPatient:
      context.flow = .leadConversion
      let leadID = random.uuid()
      let staff = member(context, \.staff)
      let correlationID = "\(leadID)_to_patient_\(clock.millis)"
      generated = contractEvent(
        kind,
        LeadConvertedPayload(
          entity_id: leadID, lead_id: leadID, organization_id: organizationID,
          conversion_type: "lead_to_patient",
          correlation_id: correlationID, converted_by: staff),
        context, userID: staff, correlationID: correlationID, remember: false)
    case .pmPatientMerged:
      context.flow = .leadConversion
      let mergeLogID = random.uuid()
      generated = contractEvent(
        kind,
        PatientMergedPayload(
          entity_id: mergeLogID, merge_log_id: mergeLogID, survivor_patient_id: random.uuid(),
          merged_patient_id: random.uuid(), organization_id: organizationID, occurred_at: clock.dateTime),
        context, userID: member(context, \.staff), remember: false)
    case .faProgramCostAllocated:
      context.flow = .costAllocation
      let today = SimulatedClock.civil(clock.millis)
      generated = contractEvent(
        kind,
        ProgramCostAllocatedPayload(
          entity_id: random.uuid(), program_id: random.uuid(), program_name: "IOP",
          period_start: SimulatedClock.isoDate(year: today.year, month: today.month, day: 1),
          period_end: SimulatedClock.isoDate(
            year: today.year, month: today.month,
            day: SimulatedClock.daysInMonth(year: today.year, month: today.month)),
          total_cost: 1_250_000, patient_count: 25, allocation_method: "direct"),
        context, userID: member(context, \.staff), remember: false)
    case .patientCreated:
      context.flow = .registrationMisc
      let patient = newPatient(context, chart: false)
      generated = registrationEvent(
        kind,
        PatientCreatedData(
          patientId: patient.id, stablePatientId: patient.id, mrn: patient.mrn, tenantId: organizationID,
          isUnidentified: false, isProvisional: false, isNewborn: false), context, remember: false)
    case .patientVitalStatusChanged:
      context.flow = .registrationMisc
      let patientID = random.uuid()
      generated = registrationEvent(
        kind,
        PatientVitalStatusChangedData(
          tenantId: organizationID, patientId: patientID, stablePatientId: patientID, deceased: true,
          deceasedDateTime: SimulatedClock.dateTime(clock.millis - 7_200_000), isCorrection: false),
        context, remember: false)
    default:
      context.flow = .encounterThenNote
      generated = contractEvent(
        .progressNoteSigned,
        ProgressNoteSignedPayload(
          entity_id: random.uuid(), chart_id: random.uuid(), encounter_id: random.uuid(),
          rendering_provider_id: clinician, service_date: clock.day, billing_codes: ["90834"],
          duration_minutes: 45, note_type: "individual", requires_cosignature: false, cosigned: false),
        context, userID: clinician, siteID: site, remember: false)
    }
    return generated
  }
}
