import DomainEvents

/// The `leadConversion` flow: a CE-29 conversion → `REGISTRATION.patient.created` carrying the
/// conversion's correlation id → sometimes `pm_patient_merged` + `REGISTRATION.patient.merged` with
/// a patient created earlier in the same organization → sometimes `REGISTRATION.patient.unmerged`
/// of the same pair.
extension LoadGenerator {
  mutating func convertLead(_ context: FlowStep.Context) -> GeneratedEvent {
    let kind: DomainEventKind
    let conversionType: String
    switch random.weighted([(0, 45.0), (1, 20), (2, 20), (3, 15)]) ?? 0 {
    case 1: (kind, conversionType) = (.ceLeadConvertedToResident, "lead_to_resident")
    case 2: (kind, conversionType) = (.ceLeadConvertedToPatient, "lead_to_both")
    case 3:
      kind = .ceLeadConverted
      conversionType =
        random.weighted([("lead_to_patient", 60.0), ("lead_to_resident", 20), ("lead_to_both", 20)])
        ?? "lead_to_patient"
    default: (kind, conversionType) = (.ceLeadConvertedToPatient, "lead_to_patient")
    }
    let leadID = random.uuid()
    // 000: "{lead_id}_to_{conversion_type}_{timestamp}", with the target (patient, resident, both).
    let target = conversionType.dropFirst("lead_to_".count)
    let correlationID = "\(leadID)_to_\(target)_\(clock.millis)"
    let becomesPatient = conversionType != "lead_to_resident"
    let becomesResident = conversionType != "lead_to_patient"
    let patientID = becomesPatient && random.chance(0.5) ? random.uuid() : nil
    let residentID = becomesResident && random.chance(0.6) ? random.uuid() : nil
    let convertedBy = member(context, \.staff)
    let customFields: [String: EventJSONValue]? =
      random.chance(0.5)
      ? ["lead_source": .string(random.element(of: ClinicalCodes.leadSources) ?? "web_form")] : nil
    let payload = LeadConvertedPayload(
      entity_id: leadID, lead_id: leadID, organization_id: organizations[context.organization].id,
      conversion_type: conversionType, correlation_id: correlationID, patient_id: patientID,
      resident_id: residentID, converted_by: convertedBy, custom_fields: customFields)
    let event = contractEvent(kind, payload, context, userID: convertedBy, correlationID: correlationID)
    if becomesPatient {
      let plan = FlowStep.ConversionPlan(
        patientID: patientID ?? random.uuid(), correlationID: correlationID, isProvisional: random.chance(0.1)
      )
      schedule(.createConvertedPatient(context, plan))
    }
    return event
  }

  mutating func createConvertedPatient(_ context: FlowStep.Context, _ plan: FlowStep.ConversionPlan)
    -> GeneratedEvent
  {
    let patient = newPatient(context, chart: false, id: plan.patientID, isProvisional: plan.isProvisional)
    let event = patientCreated(context, patient, correlationExtension: plan.correlationID)
    if random.chance(0.3),
      let other = organizations[context.organization].mergeCandidate(&random, other: patient.id)
    {
      let (survivor, source) = random.chance(0.7) ? (other, patient) : (patient, other)
      organizations[context.organization].lock([survivor.id, source.id])
      schedule(
        .publishMerge(
          context, FlowStep.MergePlan(survivor: survivor, source: source, mergeLogID: random.uuid())))
    }
    return event
  }

  mutating func publishMerge(_ context: FlowStep.Context, _ plan: FlowStep.MergePlan) -> GeneratedEvent {
    var plan = plan
    let organization = organizations[context.organization]
    plan.source = organization.patient(plan.source.id) ?? plan.source
    plan.survivor = organization.patient(plan.survivor.id) ?? plan.survivor
    let payload = PatientMergedPayload(
      entity_id: plan.mergeLogID, merge_log_id: plan.mergeLogID, survivor_patient_id: plan.survivor.id,
      merged_patient_id: plan.source.id, organization_id: organization.id,
      occurred_at: SimulatedClock.dateTime(clock.millis - Int64(random.int(in: 0...3_000))))
    let event = contractEvent(.pmPatientMerged, payload, context, userID: member(context, \.staff))
    organizations[context.organization].remove(patientID: plan.source.id)
    schedule(.registerMerge(context, plan))
    return event
  }

  mutating func registerMerge(_ context: FlowStep.Context, _ plan: FlowStep.MergePlan) -> GeneratedEvent {
    let data = PatientMergedData(
      survivorId: plan.survivor.id, sourceId: plan.source.id, stableSurvivorId: plan.survivor.id,
      stableSourceId: plan.source.id, tenantId: organizations[context.organization].id,
      involvedUnidentified: plan.survivor.isUnidentified || plan.source.isUnidentified,
      involvedProvisional: plan.survivor.isProvisional || plan.source.isProvisional)
    let event = registrationEvent(.patientMerged, data, context)
    if random.chance(0.35) {
      schedule(.registerUnmerge(context, plan))
    } else {
      organizations[context.organization].unlock([plan.survivor.id, plan.source.id])
    }
    return event
  }

  mutating func registerUnmerge(_ context: FlowStep.Context, _ plan: FlowStep.MergePlan) -> GeneratedEvent {
    let data = PatientUnmergedData(
      survivorId: plan.survivor.id, sourceId: plan.source.id, stableSurvivorId: plan.survivor.id,
      stableSourceId: plan.source.id, tenantId: organizations[context.organization].id)
    let event = registrationEvent(.patientUnmerged, data, context)
    organizations[context.organization].add(plan.source)
    organizations[context.organization].unlock([plan.survivor.id, plan.source.id])
    return event
  }
}
