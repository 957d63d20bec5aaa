import DomainEvents

/// The `encounterThenNote` flow: encounter registered → arrived → progress note signed (same
/// encounter, chart and organization) → sometimes finished; a few encounters are cancelled.
extension LoadGenerator {
  mutating func registerEncounter(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient)
    -> GeneratedEvent
  {
    var patient = patient
    let chartID: String
    if let existing = patient.chartID {
      chartID = existing
    } else {
      chartID = random.uuid()
      patient.chartID = chartID
      organizations[context.organization].update(patient)
    }
    let plan = FlowStep.EncounterPlan(
      patient: patient, chartID: chartID, encounterID: random.uuid(),
      encounterType: random.chance(0.25) ? "VR" : "AMB", serviceDate: clock.day, status: "planned")
    organizations[context.organization].add(
      LoadOrganization.Encounter(id: plan.encounterID, patientID: patient.id, serviceDate: plan.serviceDate))
    let data = EncounterRegisteredData(
      encounterId: plan.encounterID, patientId: patient.id, stablePatientId: patient.id,
      tenantId: organizations[context.organization].id, encounterType: plan.encounterType, status: plan.status
    )
    let event = registrationEvent(.encounterRegistered, data, context)
    let next = random.unit()
    if next < 0.05 {
      schedule(.closeEncounter(context, plan, newStatus: "cancelled"))
    } else if next < 0.90 {
      schedule(.encounterArrived(context, plan))
    } else {
      schedule(.signNote(context, plan))
    }
    return event
  }

  mutating func encounterArrived(_ context: FlowStep.Context, _ plan: FlowStep.EncounterPlan)
    -> GeneratedEvent
  {
    var plan = plan
    let event = statusChanged(context, plan, to: "arrived")
    plan.status = "arrived"
    schedule(.signNote(context, plan))
    return event
  }

  mutating func closeEncounter(
    _ context: FlowStep.Context, _ plan: FlowStep.EncounterPlan, _ newStatus: String
  )
    -> GeneratedEvent
  {
    statusChanged(context, plan, to: newStatus)
  }

  private mutating func statusChanged(
    _ context: FlowStep.Context, _ plan: FlowStep.EncounterPlan, to newStatus: String
  ) -> GeneratedEvent {
    let data = EncounterStatusChangedData(
      encounterId: plan.encounterID, patientId: plan.patient.id, stablePatientId: plan.patient.id,
      tenantId: organizations[context.organization].id, previousStatus: plan.status, newStatus: newStatus)
    return registrationEvent(.encounterStatusChanged, data, context)
  }

  mutating func signNote(_ context: FlowStep.Context, _ plan: FlowStep.EncounterPlan) -> GeneratedEvent {
    let session = noteBilling(telehealth: plan.encounterType == "VR")
    let clinician = member(context, \.clinicians)
    let requiresCosignature = random.chance(0.2)
    let payload = ProgressNoteSignedPayload(
      entity_id: random.uuid(), chart_id: plan.chartID, encounter_id: plan.encounterID,
      rendering_provider_id: clinician, service_date: plan.serviceDate, billing_codes: session.codes,
      modifiers: session.modifiers.isEmpty ? nil : session.modifiers, duration_minutes: session.minutes,
      note_type: session.noteType, requires_cosignature: requiresCosignature, cosigned: requiresCosignature)
    let site = random.chance(0.7) ? member(context, \.sites) : nil
    let event = contractEvent(.progressNoteSigned, payload, context, userID: clinician, siteID: site)
    if random.chance(0.5) {
      schedule(.closeEncounter(context, plan, newStatus: "finished"))
    }
    return event
  }

  /// Note type, CPT/HCPCS codes, modifiers and minutes of a realistic session.
  private mutating func noteBilling(telehealth: Bool) -> (
    noteType: String, codes: [String], modifiers: [String], minutes: Int
  ) {
    var modifiers: [String] = []
    if telehealth { modifiers.append(random.chance(0.5) ? "95" : "GT") }
    switch random.weighted([(0, 40.0), (1, 10), (2, 10), (3, 7), (4, 13), (5, 10), (6, 10)]) ?? 0 {
    case 1:  // diagnostic evaluation (intake)
      let minutes = random.int(in: 45...90)
      return ("individual", ["90791"] + (random.chance(0.2) ? ["96127"] : []), modifiers, minutes)
    case 2:  // targeted case management
      return ("individual", ["T1017"], modifiers, random.int(in: 15...60))
    case 3:  // peer support
      return ("individual", ["H0038"], modifiers, random.int(in: 15...60))
    case 4:  // group counseling or an alcohol/drug treatment program
      modifiers.append("HQ")
      let code = random.chance(0.5) ? "H0004" : "H2035"
      return ("group", [code], modifiers, random.int(in: 60...180))
    case 5:  // family session
      let minutes = random.int(in: 38...70)
      return ("family", [minutes >= 53 ? "90837" : "90834"], modifiers, minutes)
    case 6:  // crisis psychotherapy: 90839 first 60 minutes, 90840 each additional 30
      let minutes = random.int(in: 30...150)
      return ("crisis", minutes >= 75 ? ["90839", "90840"] : ["90839"], modifiers, minutes)
    default:  // individual psychotherapy by time
      let minutes = random.int(in: 16...70)
      let code = minutes <= 37 ? "90832" : minutes <= 52 ? "90834" : "90837"
      var codes = [code]
      if random.chance(0.1) { codes.append("90785") }
      if random.chance(0.15) { codes.append("96127") }
      return ("individual", codes, modifiers, minutes)
    }
  }
}
