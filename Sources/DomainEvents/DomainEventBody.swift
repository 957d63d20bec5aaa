/// The typed content of a decoded event: one case per `DomainEventKind`, holding the contract
/// envelope (CL/PM, CL/FW, FA, CE-29, PM) or the REGISTRATION data object.
public enum DomainEventBody: Sendable, Hashable {
  // MARK: REGISTRATION (001)
  /// `REGISTRATION.patient.created`.
  case patientCreated(PatientCreatedData)
  /// `REGISTRATION.patient.updated`.
  case patientUpdated(PatientUpdatedData)
  /// `REGISTRATION.patient.vital-status-changed`.
  case patientVitalStatusChanged(PatientVitalStatusChangedData)
  /// `REGISTRATION.patient.duplicate-detected`.
  case patientDuplicateDetected(DuplicateDetectedData)
  /// `REGISTRATION.patient.unidentified-duplicate-review`.
  case patientUnidentifiedDuplicateReview(UnidentifiedDuplicateReviewData)
  /// `REGISTRATION.patient.merged`.
  case patientMerged(PatientMergedData)
  /// `REGISTRATION.patient.unmerged`.
  case patientUnmerged(PatientUnmergedData)
  /// `REGISTRATION.encounter.registered`.
  case encounterRegistered(EncounterRegisteredData)
  /// `REGISTRATION.encounter.status-changed`.
  case encounterStatusChanged(EncounterStatusChangedData)

  // MARK: CL/PM (003)
  /// `progress_note_signed`.
  case progressNoteSigned(ContractEnvelope<ProgressNoteSignedPayload>)
  /// `pm_referral_accepted`.
  case pmReferralAccepted(ContractEnvelope<ReferralAcceptedPayload>)
  /// `fa_program_cost_allocated`.
  case faProgramCostAllocated(ContractEnvelope<ProgramCostAllocatedPayload>)
  /// `cl_crisis_episode_resolved`.
  case clCrisisEpisodeResolved(ContractEnvelope<CrisisEpisodeResolvedPayload>)

  // MARK: CL/FW (004)
  /// `cl_assessment_expired`.
  case clAssessmentExpired(ContractEnvelope<AssessmentExpiredPayload>)
  /// `cl_moud_monitoring_overdue`.
  case clMoudMonitoringOverdue(ContractEnvelope<MoudMonitoringOverduePayload>)
  /// `cl_moud_adherence_risk`.
  case clMoudAdherenceRisk(ContractEnvelope<MoudAdherenceRiskPayload>)
  /// `cl_care_gap_identified`.
  case clCareGapIdentified(ContractEnvelope<CareGapIdentifiedPayload>)
  /// `cl_crisis_episode_opened`.
  case clCrisisEpisodeOpened(ContractEnvelope<CrisisEpisodeOpenedPayload>)
  /// `cl_restraint_event_initiated`.
  case clRestraintEventInitiated(ContractEnvelope<RestraintEventInitiatedPayload>)
  /// `cl_restraint_event_terminated`.
  case clRestraintEventTerminated(ContractEnvelope<RestraintEventTerminatedPayload>)
  /// `cl_care_gap_closed`.
  case clCareGapClosed(ContractEnvelope<CareGapClosedPayload>)

  // MARK: CE-29 (000)
  /// `ce_lead_converted_to_patient`.
  case ceLeadConvertedToPatient(ContractEnvelope<LeadConvertedPayload>)
  /// `ce_lead_converted_to_resident`.
  case ceLeadConvertedToResident(ContractEnvelope<LeadConvertedPayload>)
  /// `ce_lead_converted` (deprecated).
  case ceLeadConverted(ContractEnvelope<LeadConvertedPayload>)

  // MARK: PM (002)
  /// `pm_patient_merged`.
  case pmPatientMerged(ContractEnvelope<PatientMergedPayload>)

  /// The kind this body belongs to.
  public var kind: DomainEventKind {
    switch self {
    case .patientCreated: return .patientCreated
    case .patientUpdated: return .patientUpdated
    case .patientVitalStatusChanged: return .patientVitalStatusChanged
    case .patientDuplicateDetected: return .patientDuplicateDetected
    case .patientUnidentifiedDuplicateReview: return .patientUnidentifiedDuplicateReview
    case .patientMerged: return .patientMerged
    case .patientUnmerged: return .patientUnmerged
    case .encounterRegistered: return .encounterRegistered
    case .encounterStatusChanged: return .encounterStatusChanged
    case .progressNoteSigned: return .progressNoteSigned
    case .pmReferralAccepted: return .pmReferralAccepted
    case .faProgramCostAllocated: return .faProgramCostAllocated
    case .clCrisisEpisodeResolved: return .clCrisisEpisodeResolved
    case .clAssessmentExpired: return .clAssessmentExpired
    case .clMoudMonitoringOverdue: return .clMoudMonitoringOverdue
    case .clMoudAdherenceRisk: return .clMoudAdherenceRisk
    case .clCareGapIdentified: return .clCareGapIdentified
    case .clCrisisEpisodeOpened: return .clCrisisEpisodeOpened
    case .clRestraintEventInitiated: return .clRestraintEventInitiated
    case .clRestraintEventTerminated: return .clRestraintEventTerminated
    case .clCareGapClosed: return .clCareGapClosed
    case .ceLeadConvertedToPatient: return .ceLeadConvertedToPatient
    case .ceLeadConvertedToResident: return .ceLeadConvertedToResident
    case .ceLeadConverted: return .ceLeadConverted
    case .pmPatientMerged: return .pmPatientMerged
    }
  }

  /// The contract metadata; `nil` for REGISTRATION events, which have none.
  public var metadata: EventMetadata? { summary.metadata }

  /// The tenant: `metadata.organization_id`, or `tenantId` for REGISTRATION events.
  public var organizationId: String { summary.organizationId }

  /// The dedupe key (DESIGN §5) of an event with CloudEvents id `cloudEventID`.
  public func dedupeKey(cloudEventID: String) -> String { summary.dedupeKey(cloudEventID: cloudEventID) }

  /// What the shared accessors read, taken from the body in one pass. `content` copies the whole
  /// envelope (every string of the payload) into an existential box, and each accessor used to
  /// do that on its own: six times per event in a consumer's prepare step, with a dynamic cast
  /// for the dedupe key. `DecodedDomainEvent` keeps a summary made once.
  var summary: Summary {
    switch content {
    case .contract(let envelope):
      return Summary(
        metadata: envelope.metadata, organizationId: envelope.metadata.organization_id,
        contractDedupeKey: envelope.dedupeKey, registrationDomainId: nil)
    case .registration(let data):
      return Summary(
        metadata: nil, organizationId: data.tenantId, contractDedupeKey: nil,
        registrationDomainId: data.domainId)
    }
  }

  /// The values of `metadata`, `organizationId` and `dedupeKey(cloudEventID:)`.
  struct Summary: Sendable, Hashable {
    var metadata: EventMetadata?
    var organizationId: String
    /// The contract's dedupe key; nil for REGISTRATION events, whose key includes the CloudEvents id.
    var contractDedupeKey: String?
    /// `patientId`, `encounterId`, … of a REGISTRATION event.
    var registrationDomainId: String?

    func dedupeKey(cloudEventID: String) -> String {
      contractDedupeKey ?? "\(cloudEventID)/\(registrationDomainId ?? "")"
    }
  }

  /// The body with its type erased to what encoding and the shared accessors need.
  var content: Content {
    switch self {
    case .patientCreated(let data): return .registration(data)
    case .patientUpdated(let data): return .registration(data)
    case .patientVitalStatusChanged(let data): return .registration(data)
    case .patientDuplicateDetected(let data): return .registration(data)
    case .patientUnidentifiedDuplicateReview(let data): return .registration(data)
    case .patientMerged(let data): return .registration(data)
    case .patientUnmerged(let data): return .registration(data)
    case .encounterRegistered(let data): return .registration(data)
    case .encounterStatusChanged(let data): return .registration(data)
    case .progressNoteSigned(let envelope): return .contract(envelope)
    case .pmReferralAccepted(let envelope): return .contract(envelope)
    case .faProgramCostAllocated(let envelope): return .contract(envelope)
    case .clCrisisEpisodeResolved(let envelope): return .contract(envelope)
    case .clAssessmentExpired(let envelope): return .contract(envelope)
    case .clMoudMonitoringOverdue(let envelope): return .contract(envelope)
    case .clMoudAdherenceRisk(let envelope): return .contract(envelope)
    case .clCareGapIdentified(let envelope): return .contract(envelope)
    case .clCrisisEpisodeOpened(let envelope): return .contract(envelope)
    case .clRestraintEventInitiated(let envelope): return .contract(envelope)
    case .clRestraintEventTerminated(let envelope): return .contract(envelope)
    case .clCareGapClosed(let envelope): return .contract(envelope)
    case .ceLeadConvertedToPatient(let envelope): return .contract(envelope)
    case .ceLeadConvertedToResident(let envelope): return .contract(envelope)
    case .ceLeadConverted(let envelope): return .contract(envelope)
    case .pmPatientMerged(let envelope): return .contract(envelope)
    }
  }

  /// Type-erased body.
  enum Content {
    case contract(any AnyContractEnvelope)
    case registration(any RegistrationEventData)
  }
}
