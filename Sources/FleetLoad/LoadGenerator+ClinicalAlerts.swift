import DomainEvents

/// The `clinicalAlerts` flow: automated CL alerts published by the system actor
/// (`SystemActor.profileID`): assessment expiry, MOUD monitoring overdue → sometimes adherence
/// risk, care gap identified → sometimes closed.
extension LoadGenerator {
  mutating func raiseAlert(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient) -> GeneratedEvent
  {
    let plan = FlowStep.AlertPlan(
      entityID: random.uuid(), chartID: chart(of: patient, context), gapType: "",
      clinicianID: member(context, \.clinicians),
      careManagerID: random.chance(0.6) ? member(context, \.careManagers) : nil, openedMillis: clock.millis)
    switch random.weighted([(0, 30.0), (1, 35), (2, 5), (3, 30)]) ?? 0 {
    case 1: return moudMonitoringOverdue(context, plan)
    case 2: return moudAdherenceRisk(context, plan)
    case 3: return careGapIdentified(context, plan)
    default: return assessmentExpired(context, plan)
    }
  }

  private mutating func assessmentExpired(_ context: FlowStep.Context, _ plan: FlowStep.AlertPlan)
    -> GeneratedEvent
  {
    let daysOverdue = random.int(in: 1...45)
    let payload = AssessmentExpiredPayload(
      entity_id: plan.entityID, chart_id: plan.chartID,
      assessment_type: random.element(of: ClinicalCodes.assessmentTypes) ?? "phq9",
      original_due_date: SimulatedClock.day(clock.millis - Int64(daysOverdue) * 86_400_000),
      days_overdue: daysOverdue, assigned_clinician_id: plan.clinicianID)
    return contractEvent(.clAssessmentExpired, payload, context, userID: SystemActor.profileID)
  }

  private mutating func moudMonitoringOverdue(_ context: FlowStep.Context, _ plan: FlowStep.AlertPlan)
    -> GeneratedEvent
  {
    let daysOverdue = random.int(in: 1...21)
    var careTeam = [plan.clinicianID]
    for candidate in organizations[context.organization].careManagers where random.chance(0.4) {
      careTeam.append(candidate)
    }
    let payload = MoudMonitoringOverduePayload(
      entity_id: plan.entityID, chart_id: plan.chartID,
      monitoring_type: random.element(of: ClinicalCodes.monitoringTypes) ?? "uds",
      expected_date: SimulatedClock.day(clock.millis - Int64(daysOverdue) * 86_400_000),
      days_overdue: daysOverdue, medication: random.element(of: ClinicalCodes.medications) ?? "buprenorphine",
      assigned_clinician_id: plan.clinicianID, care_team_ids: careTeam)
    let event = contractEvent(.clMoudMonitoringOverdue, payload, context, userID: SystemActor.profileID)
    if random.chance(0.4) { schedule(.moudAdherenceRisk(context, plan)) }
    return event
  }

  mutating func moudAdherenceRisk(_ context: FlowStep.Context, _ plan: FlowStep.AlertPlan) -> GeneratedEvent {
    var factors = ClinicalCodes.riskFactors.filter { _ in random.chance(0.5) }
    if factors.isEmpty { factors = [ClinicalCodes.riskFactors[0]] }
    let threshold = random.chance(0.5) ? 60 : 70
    let payload = MoudAdherenceRiskPayload(
      entity_id: plan.entityID, chart_id: plan.chartID, risk_factors: factors,
      adherence_score: random.int(in: 15...(threshold - 1)), threshold: threshold,
      assigned_clinician_id: plan.clinicianID, supervisor_id: member(context, \.supervisors))
    return contractEvent(.clMoudAdherenceRisk, payload, context, userID: SystemActor.profileID)
  }

  private mutating func careGapIdentified(_ context: FlowStep.Context, _ plan: FlowStep.AlertPlan)
    -> GeneratedEvent
  {
    var plan = plan
    let gap = random.element(of: ClinicalCodes.careGaps) ?? ClinicalCodes.careGaps[0]
    plan.gapType = gap.gapType
    let dueDate: String?
    switch random.int(below: 10) {
    case 0...3: dueDate = "\(SimulatedClock.civil(clock.millis).year)-12-31"
    case 4...6: dueDate = SimulatedClock.day(clock.millis + Int64(random.int(in: 14...60)) * 86_400_000)
    default: dueDate = nil
    }
    let payload = CareGapIdentifiedPayload(
      entity_id: plan.entityID, chart_id: plan.chartID, gap_type: gap.gapType, measure_id: gap.measureID,
      gap_description: gap.description, due_date: dueDate, care_manager_id: plan.careManagerID)
    let event = contractEvent(.clCareGapIdentified, payload, context, userID: SystemActor.profileID)
    if random.chance(0.6) { schedule(.closeCareGap(context, plan)) }
    return event
  }

  mutating func closeCareGap(_ context: FlowStep.Context, _ plan: FlowStep.AlertPlan) -> GeneratedEvent {
    let closedBy = random.chance(0.5) ? SystemActor.profileID : plan.careManagerID ?? plan.clinicianID
    let latest = max(clock.millis - plan.openedMillis, 0)
    let closedAt = clock.millis - Int64(random.int(in: 0...Int(min(latest, 60_000))))
    let payload = CareGapClosedPayload(
      entity_id: plan.entityID, chart_id: plan.chartID, gap_type: plan.gapType,
      closure_type: closedBy == SystemActor.profileID
        ? "service_completed" : random.element(of: ClinicalCodes.closureTypes) ?? "service_completed",
      closed_by: closedBy, closed_at: SimulatedClock.dateTime(closedAt))
    return contractEvent(.clCareGapClosed, payload, context, userID: closedBy)
  }
}
