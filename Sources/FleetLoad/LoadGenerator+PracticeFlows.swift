import DomainEvents

/// The single-event PM and FA flows: `referralAccepted` and `costAllocation`.
extension LoadGenerator {
  mutating func acceptReferral(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient)
    -> GeneratedEvent
  {
    let current = organizations[context.organization].patient(patient.id) ?? patient
    let clinicians = organizations[context.organization].clinicians
    let acceptingIndex = random.int(below: clinicians.count)
    let accepting = clinicians[acceptingIndex]
    // An outside provider, or another clinician of the organization (internal referral).
    let isInternal = random.chance(0.3)
    let referring =
      isInternal
      ? clinicians[(acceptingIndex + 1 + random.int(below: clinicians.count - 1)) % clinicians.count]
      : random.uuid()
    let payload = ReferralAcceptedPayload(
      entity_id: random.uuid(), patient_id: current.id, chart_id: current.chartID,
      referring_provider_id: referring, accepting_provider_id: accepting,
      referral_type: isInternal ? "internal" : random.chance(0.8) ? "inbound" : "outbound",
      service_type: random.element(of: ClinicalCodes.serviceTypes) ?? "behavioral_health",
      priority: random.weighted([("routine", 65.0), ("urgent", 25), ("emergent", 10)]) ?? "routine",
      authorization_number: random.chance(0.4) ? "AUTH-\(random.digits(8))" : nil)
    let user = random.chance(0.5) ? accepting : member(context, \.staff)
    let site = random.chance(0.5) ? member(context, \.sites) : nil
    return contractEvent(.pmReferralAccepted, payload, context, userID: user, siteID: site)
  }

  mutating func allocateProgramCost(_ context: FlowStep.Context) -> GeneratedEvent {
    let today = SimulatedClock.civil(clock.millis)
    let (start, end) = random.chance(0.75) ? previousMonth(today) : previousQuarter(today)
    let days = periodDays(start, end)
    let patientCount = random.int(in: 8...120)
    let centsPerPatientDay = random.int(in: 15_000...65_000)
    let patientDays = random.int(in: max(patientCount * days / 4, 1)...max(patientCount * days, 1))
    let program = random.element(of: organizations[context.organization].programs)
    let payload = ProgramCostAllocatedPayload(
      entity_id: random.uuid(), program_id: program?.id ?? random.uuid(),
      program_name: program?.name ?? "IOP",
      period_start: SimulatedClock.isoDate(year: start.year, month: start.month, day: 1),
      period_end: SimulatedClock.isoDate(year: end.year, month: end.month, day: end.lastDay),
      total_cost: centsPerPatientDay * patientDays,
      cost_per_patient_day: random.chance(0.6) ? Double(centsPerPatientDay) : nil,
      patient_count: patientCount,
      allocation_method: random.element(of: ClinicalCodes.allocationMethods) ?? "direct")
    return contractEvent(.faProgramCostAllocated, payload, context, userID: member(context, \.staff))
  }

  private typealias Month = (year: Int, month: Int, lastDay: Int)

  private func month(_ year: Int, _ month: Int) -> Month {
    (year, month, SimulatedClock.daysInMonth(year: year, month: month))
  }

  private func previousMonth(_ today: (year: Int, month: Int, day: Int)) -> (Month, Month) {
    let previous = today.month == 1 ? month(today.year - 1, 12) : month(today.year, today.month - 1)
    return (previous, previous)
  }

  private func previousQuarter(_ today: (year: Int, month: Int, day: Int)) -> (Month, Month) {
    let quarter = (today.month - 1) / 3
    let year = quarter == 0 ? today.year - 1 : today.year
    let firstMonth = quarter == 0 ? 10 : (quarter - 1) * 3 + 1
    return (month(year, firstMonth), month(year, firstMonth + 2))
  }

  private func periodDays(_ start: Month, _ end: Month) -> Int {
    var days = 0
    var (year, current) = (start.year, start.month)
    while (year, current) <= (end.year, end.month) {
      days += SimulatedClock.daysInMonth(year: year, month: current)
      (year, current) = current == 12 ? (year + 1, 1) : (year, current + 1)
    }
    return days
  }
}
