import DomainEvents

/// The `crisis` flow (opened → resolved with a billing code) and the `restraint` flow (initiated →
/// terminated, some exceeding the age-based limit or still requiring a face-to-face evaluation).
extension LoadGenerator {
  /// The patient's chart, opening one (and remembering it) when the patient has none yet.
  mutating func chart(of patient: LoadOrganization.Patient, _ context: FlowStep.Context) -> String {
    if let chartID = organizations[context.organization].patient(patient.id)?.chartID ?? patient.chartID {
      return chartID
    }
    var updated = patient
    let chartID = random.uuid()
    updated.chartID = chartID
    organizations[context.organization].update(updated)
    return chartID
  }

  mutating func openCrisis(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient) -> GeneratedEvent
  {
    let crisis = LoadOrganization.Crisis(
      id: random.uuid(), patientID: patient.id, chartID: chart(of: patient, context))
    let plan = FlowStep.CrisisPlan(
      crisis: crisis,
      crisisType: random.weighted([
        ("walk_in", 30.0), ("mobile", 25), ("phone", 20), ("observation_23hr", 15), ("telehealth", 10),
      ]) ?? "walk_in",
      clinicianID: member(context, \.clinicians), siteID: member(context, \.sites), serviceDate: clock.day)
    let payload = CrisisEpisodeOpenedPayload(
      entity_id: crisis.id, chart_id: crisis.chartID, crisis_type: plan.crisisType,
      risk_level: random.weighted([("high", 45.0), ("moderate", 35), ("imminent", 20)]) ?? "high",
      assigned_clinician_id: plan.clinicianID,
      supervisor_id: random.chance(0.7) ? member(context, \.supervisors) : nil)
    let event = contractEvent(
      .clCrisisEpisodeOpened, payload, context, userID: plan.clinicianID, siteID: plan.siteID)
    organizations[context.organization].add(crisis)
    if random.chance(0.92) { schedule(.resolveCrisis(context, plan)) }
    return event
  }

  mutating func resolveCrisis(_ context: FlowStep.Context, _ plan: FlowStep.CrisisPlan) -> GeneratedEvent {
    let code: String
    let minutes: Int?
    switch plan.crisisType {
    case "observation_23hr":
      code = "S9485"  // per diem
      minutes = random.chance(0.5) ? random.int(in: 360...1_380) : nil
    case "mobile":
      if random.chance(0.5) {
        (code, minutes) = ("H2011", random.int(in: 30...180))  // per 15 minutes
      } else {
        (code, minutes) = ("S9484", random.int(in: 60...240))  // per hour
      }
    case "phone":
      (code, minutes) = ("H2011", random.int(in: 15...60))
    case "telehealth":
      (code, minutes) = ("90839", random.int(in: 30...74))
    default:
      switch random.weighted([(0, 60.0), (1, 20), (2, 20)]) ?? 0 {
      case 1: (code, minutes) = ("90840", random.int(in: 75...150))
      case 2: (code, minutes) = ("H2011", random.int(in: 15...120))
      default: (code, minutes) = ("90839", random.int(in: 30...74))
      }
    }
    let encounter =
      random.chance(0.5)
      ? organizations[context.organization].latestEncounter(of: plan.crisis.patientID) : nil
    let payload = CrisisEpisodeResolvedPayload(
      entity_id: plan.crisis.id, chart_id: plan.crisis.chartID, crisis_type: plan.crisisType,
      service_date: plan.serviceDate, billing_code: code, duration_minutes: minutes,
      rendering_provider_id: plan.clinicianID, encounter_id: encounter?.id)
    return contractEvent(
      .clCrisisEpisodeResolved, payload, context, userID: plan.clinicianID, siteID: plan.siteID)
  }

  mutating func initiateRestraint(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient)
    -> GeneratedEvent
  {
    let chartID = chart(of: patient, context)
    let crisis = organizations[context.organization].crises.last { $0.patientID == patient.id }
    let ageGroup = random.weighted([("adult", 70.0), ("adolescent", 20), ("child", 10)]) ?? "adult"
    let maxHours: Double = ageGroup == "adult" ? 4 : ageGroup == "adolescent" ? 2 : 1
    let limit = Int64(maxHours * 3_600_000)
    let planned: Int64
    if random.chance(0.12) {
      planned = limit + Int64(random.int(in: 60_000...Int(limit / 2)))
    } else {
      planned = Int64(random.int(in: 300_000...Int(min(limit * 9 / 10, 90 * 60_000))))
    }
    let plan = FlowStep.RestraintPlan(
      restraintID: random.uuid(), patientID: patient.id,
      initiationMillis: clock.millis - Int64(random.int(in: 10_000...180_000)), plannedMillis: planned,
      maxDurationHours: maxHours, crisisEpisodeID: random.chance(0.8) ? crisis?.id : nil,
      clinicianID: member(context, \.clinicians), siteID: member(context, \.sites))
    let payload = RestraintEventInitiatedPayload(
      entity_id: plan.restraintID, chart_id: chartID,
      event_type: random.weighted([("restraint", 55.0), ("seclusion", 30), ("both", 15)]) ?? "restraint",
      patient_age_group: ageGroup, max_duration_hours: maxHours,
      initiation_time: SimulatedClock.dateTime(plan.initiationMillis),
      action_required: ClinicalCodes.restraintAction,
      crisis_episode_id: plan.crisisEpisodeID,
      supervisor_id: random.chance(0.6) ? member(context, \.supervisors) : nil)
    let event = contractEvent(
      .clRestraintEventInitiated, payload, context, userID: plan.clinicianID, siteID: plan.siteID)
    schedule(.terminateRestraint(context, plan))
    return event
  }

  mutating func terminateRestraint(_ context: FlowStep.Context, _ plan: FlowStep.RestraintPlan)
    -> GeneratedEvent
  {
    let termination = plan.initiationMillis + plan.plannedMillis
    // The termination is reported after it happened: move the clock past it when needed.
    clock.advance(to: termination + Int64(random.int(in: 5_000...120_000)))
    let exceeded = plan.plannedMillis > Int64(plan.maxDurationHours * 3_600_000)
    let deadline: Int64?
    if exceeded {
      deadline = termination + 3_600_000
    } else if plan.plannedMillis < 3_600_000, random.chance(0.5) {
      deadline = plan.initiationMillis + 3_600_000  // CMS one-hour face-to-face, still open
    } else {
      deadline = nil
    }
    let payload = RestraintEventTerminatedPayload(
      restraint_id: plan.restraintID, patient_id: plan.patientID,
      initiation_time: SimulatedClock.dateTime(plan.initiationMillis),
      termination_time: SimulatedClock.dateTime(termination),
      termination_reason: random.element(of: ClinicalCodes.terminationReasons) ?? "behavior_resolved",
      face_to_face_required_flag: deadline != nil,
      scheduled_face_to_face_deadline: deadline.map(SimulatedClock.dateTime), duration_exceeded: exceeded,
      crisis_episode_id: plan.crisisEpisodeID)
    return contractEvent(
      .clRestraintEventTerminated, payload, context, userID: plan.clinicianID, siteID: plan.siteID)
  }
}
