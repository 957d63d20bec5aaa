import DomainEvents

/// The `registrationMisc` flow: patient updates, deceased status (sometimes corrected later),
/// MPI duplicate detection, and unidentified creates followed by a duplicate review.
extension LoadGenerator {
  mutating func registrationChange(_ context: FlowStep.Context) -> GeneratedEvent {
    let organization = organizations[context.organization]
    switch random.weighted([(0, 35.0), (1, 15), (2, 15), (3, 15), (4, 20)]) ?? 0 {
    case 0:
      if let patient = organization.randomPatient(&random) { return patientUpdated(context, patient) }
    case 1:
      let candidates = organization.patients.filter { !organization.isMergeLocked($0.id) }
      if let patient = random.element(of: candidates) { return patientDeceased(context, patient) }
    case 2:
      let matches = organization.randomPatients(&random, count: random.int(in: 1...2))
      if !matches.isEmpty { return duplicateDetected(context, matches) }
    case 3:
      let patient = newPatient(context, chart: true, isUnidentified: true)
      let event = patientCreated(context, patient, correlationExtension: nil)
      if organization.patients.count >= 1, random.chance(0.7) {
        schedule(.reviewUnidentified(context, patient))
      }
      return event
    default:
      break
    }
    let patient = newPatient(
      context, chart: true, isProvisional: random.chance(0.1), isNewborn: random.chance(0.05))
    return patientCreated(context, patient, correlationExtension: nil)
  }

  private mutating func patientUpdated(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient)
    -> GeneratedEvent
  {
    var updated = patient
    if updated.isProvisional, !updated.isUnidentified, random.chance(0.5) {
      updated.isProvisional = false
      organizations[context.organization].update(updated)
    }
    let data = PatientUpdatedData(
      patientId: updated.id, stablePatientId: updated.id, mrn: random.chance(0.5) ? updated.mrn : nil,
      tenantId: organizations[context.organization].id, isUnidentified: updated.isUnidentified,
      isProvisional: updated.isProvisional, isNewborn: updated.isNewborn,
      temporaryEnterpriseKey: updated.temporaryEnterpriseKey,
      unidentifiedSlaDueAt: updated.unidentifiedSlaDueAt)
    return registrationEvent(.patientUpdated, data, context)
  }

  private mutating func patientDeceased(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient)
    -> GeneratedEvent
  {
    let deceasedMillis = clock.millis - Int64(random.int(in: 3_600_000...259_200_000))
    let data = PatientVitalStatusChangedData(
      tenantId: organizations[context.organization].id, patientId: patient.id, stablePatientId: patient.id,
      deceased: true, deceasedDateTime: SimulatedClock.dateTime(deceasedMillis), isCorrection: false)
    let event = registrationEvent(.patientVitalStatusChanged, data, context)
    organizations[context.organization].remove(patientID: patient.id)
    if random.chance(0.2) { schedule(.correctVitalStatus(context, patient, deceasedMillis: deceasedMillis)) }
    return event
  }

  mutating func correctVitalStatus(
    _ context: FlowStep.Context, _ patient: LoadOrganization.Patient, deceasedMillis: Int64
  ) -> GeneratedEvent {
    let data: PatientVitalStatusChangedData
    let tenant = organizations[context.organization].id
    if random.chance(0.6) {
      // Recorded in error: the patient is alive again.
      data = PatientVitalStatusChangedData(
        tenantId: tenant, patientId: patient.id, stablePatientId: patient.id, deceased: false,
        deceasedDateTime: nil, isCorrection: true)
      organizations[context.organization].add(patient)
    } else {
      let corrected = deceasedMillis - Int64(random.int(in: 3_600_000...86_400_000))
      data = PatientVitalStatusChangedData(
        tenantId: tenant, patientId: patient.id, stablePatientId: patient.id, deceased: true,
        deceasedDateTime: SimulatedClock.dateTime(corrected), isCorrection: true)
    }
    return registrationEvent(.patientVitalStatusChanged, data, context)
  }

  private mutating func duplicateDetected(_ context: FlowStep.Context, _ matches: [LoadOrganization.Patient])
    -> GeneratedEvent
  {
    let scored = matches.map { DuplicateMatch(id: $0.id, mrn: $0.mrn, score: random.int(in: 85...99)) }
    let data = DuplicateDetectedData(
      tenantId: organizations[context.organization].id, matchCount: scored.count, matchIds: scored.map(\.id),
      matches: scored)
    return registrationEvent(.patientDuplicateDetected, data, context)
  }

  mutating func reviewUnidentified(_ context: FlowStep.Context, _ patient: LoadOrganization.Patient)
    -> GeneratedEvent
  {
    let candidates = organizations[context.organization].randomPatients(
      &random, count: random.int(in: 1...2), excluding: patient.id)
    let scored = candidates.map { DuplicateMatch(id: $0.id, mrn: $0.mrn, score: random.int(in: 71...84)) }
    let data = UnidentifiedDuplicateReviewData(
      tenantId: organizations[context.organization].id, newPatientId: patient.id, mrn: patient.mrn,
      temporaryEnterpriseKey: patient.temporaryEnterpriseKey
        ?? "UNK-\(organizations[context.organization].code)",
      matchCount: scored.count, matches: scored)
    return registrationEvent(.patientUnidentifiedDuplicateReview, data, context)
  }
}
