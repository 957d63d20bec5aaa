/// Every event contract of the seeds, one case per event name.
///
/// The raw value is the event name as it travels: the full NATS subject for REGISTRATION events
/// (`REGISTRATION.patient.created`, 001) and the seed's `event` field for the other cores
/// (`progress_note_signed`, 003; `cl_assessment_expired`, 004; `ce_lead_converted_to_patient`, 000;
/// `pm_patient_merged`, 002). Subjects, CloudEvents `type` and `source` all derive from it.
public enum DomainEventKind: String, CaseIterable, Sendable, Codable {
  // MARK: REGISTRATION (001)
  /// `REGISTRATION.patient.created`: a patient was created (also provisional, unidentified, newborn).
  case patientCreated = "REGISTRATION.patient.created"
  /// `REGISTRATION.patient.updated`: demographics or identifiers were updated.
  case patientUpdated = "REGISTRATION.patient.updated"
  /// `REGISTRATION.patient.vital-status-changed`: deceased status recorded or corrected.
  case patientVitalStatusChanged = "REGISTRATION.patient.vital-status-changed"
  /// `REGISTRATION.patient.duplicate-detected`: an MPI match ≥ 85 aborted a create.
  case patientDuplicateDetected = "REGISTRATION.patient.duplicate-detected"
  /// `REGISTRATION.patient.unidentified-duplicate-review`: unidentified create with a weak MPI match.
  case patientUnidentifiedDuplicateReview = "REGISTRATION.patient.unidentified-duplicate-review"
  /// `REGISTRATION.patient.merged`: a merge executed (source deactivated).
  case patientMerged = "REGISTRATION.patient.merged"
  /// `REGISTRATION.patient.unmerged`: an unmerge succeeded (source reactivated).
  case patientUnmerged = "REGISTRATION.patient.unmerged"
  /// `REGISTRATION.encounter.registered`: an encounter was created.
  case encounterRegistered = "REGISTRATION.encounter.registered"
  /// `REGISTRATION.encounter.status-changed`: an encounter changed status.
  case encounterStatusChanged = "REGISTRATION.encounter.status-changed"

  // MARK: CL/PM (003)
  /// `progress_note_signed` (CL → PM charge capture), channel `cl_pm_events`.
  case progressNoteSigned = "progress_note_signed"
  /// `pm_referral_accepted` (PM → CL care coordination), channel `cl_pm_events`.
  case pmReferralAccepted = "pm_referral_accepted"
  /// `fa_program_cost_allocated` (FA → CL outcomes), channel `fa_events`.
  case faProgramCostAllocated = "fa_program_cost_allocated"
  /// `cl_crisis_episode_resolved` (CL → PM charge capture), channel `cl_pm_events`.
  case clCrisisEpisodeResolved = "cl_crisis_episode_resolved"

  // MARK: CL/FW (004)
  /// `cl_assessment_expired`, channel `cl_events`.
  case clAssessmentExpired = "cl_assessment_expired"
  /// `cl_moud_monitoring_overdue`, channel `cl_events`.
  case clMoudMonitoringOverdue = "cl_moud_monitoring_overdue"
  /// `cl_moud_adherence_risk`, channel `cl_events`.
  case clMoudAdherenceRisk = "cl_moud_adherence_risk"
  /// `cl_care_gap_identified`, channel `cl_events`.
  case clCareGapIdentified = "cl_care_gap_identified"
  /// `cl_crisis_episode_opened`, channel `cl_events`.
  case clCrisisEpisodeOpened = "cl_crisis_episode_opened"
  /// `cl_restraint_event_initiated`, channel `cl_events`.
  case clRestraintEventInitiated = "cl_restraint_event_initiated"
  /// `cl_restraint_event_terminated`, channel `cl_events`.
  case clRestraintEventTerminated = "cl_restraint_event_terminated"
  /// `cl_care_gap_closed`, channel `cl_events`.
  case clCareGapClosed = "cl_care_gap_closed"

  // MARK: CE-29 (000)
  /// `ce_lead_converted_to_patient`, channel `ce_events`.
  case ceLeadConvertedToPatient = "ce_lead_converted_to_patient"
  /// `ce_lead_converted_to_resident`, channel `ce_events`.
  case ceLeadConvertedToResident = "ce_lead_converted_to_resident"
  /// `ce_lead_converted`: the deprecated CE-17 event, same payload as the granular ones.
  case ceLeadConverted = "ce_lead_converted"

  // MARK: PM (002)
  /// `pm_patient_merged`, channel `pm_events`.
  case pmPatientMerged = "pm_patient_merged"

  /// Creates the kind whose CloudEvents `type` is `cloudEventType`; `nil` for any other type.
  public init?(cloudEventType: String) {
    guard let kind = Self.byCloudEventType[cloudEventType] else { return nil }
    self = kind
  }

  /// Every kind by its CloudEvents `type` (the first kind wins, as a linear search would).
  private static let byCloudEventType: [String: DomainEventKind] = Dictionary(
    allCases.map { ($0.cloudEventType, $0) }, uniquingKeysWith: { first, _ in first })

  /// True for the REGISTRATION events of 001 (camelCase data object, no contract envelope).
  public var isRegistration: Bool { channel == "REGISTRATION" }

  /// True for `ce_lead_converted`, kept only for CE-17 consumers (000).
  public var isDeprecated: Bool { self == .ceLeadConverted }

  /// The NATS subject: the raw value for REGISTRATION, else `<channel>.<event_name>`.
  public var subject: String { isRegistration ? rawValue : "\(channel).\(rawValue)" }

  /// CloudEvents `type`: `ghasi.registration.<entity>.<event>` or `encoreos.<core>.<event_name>`.
  public var cloudEventType: String {
    if isRegistration {
      return "ghasi.registration." + rawValue.dropFirst("REGISTRATION.".count)
    }
    return "encoreos.\(publisher.lowercased()).\(rawValue)"
  }

  /// CloudEvents `source`: `ghasi/registration` or `encoreos/<core>`.
  public var cloudEventSource: String {
    Self.cloudEventSources[self] ?? makeCloudEventSource()
  }

  private func makeCloudEventSource() -> String {
    isRegistration ? "ghasi/registration" : "encoreos/\(publisher.lowercased())"
  }

  /// `cloudEventSource` of every kind, built once (it is checked on every decode).
  private static let cloudEventSources: [DomainEventKind: String] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0, $0.makeCloudEventSource()) })

  /// `REGISTRATION` for registration events, else the seed channel (`cl_pm_events`, `cl_events`,
  /// `fa_events`, `ce_events`, `pm_events`).
  public var channel: String {
    switch self {
    case .patientCreated, .patientUpdated, .patientVitalStatusChanged, .patientDuplicateDetected,
      .patientUnidentifiedDuplicateReview, .patientMerged, .patientUnmerged, .encounterRegistered,
      .encounterStatusChanged:
      return "REGISTRATION"
    case .progressNoteSigned, .pmReferralAccepted, .clCrisisEpisodeResolved:
      return "cl_pm_events"
    case .faProgramCostAllocated:
      return "fa_events"
    case .clAssessmentExpired, .clMoudMonitoringOverdue, .clMoudAdherenceRisk, .clCareGapIdentified,
      .clCrisisEpisodeOpened, .clRestraintEventInitiated, .clRestraintEventTerminated, .clCareGapClosed:
      return "cl_events"
    case .ceLeadConvertedToPatient, .ceLeadConvertedToResident, .ceLeadConverted:
      return "ce_events"
    case .pmPatientMerged:
      return "pm_events"
    }
  }

  /// The publishing core: `REGISTRATION`, `CL`, `PM`, `FA` or `CE`.
  public var publisher: String {
    switch self {
    case .patientCreated, .patientUpdated, .patientVitalStatusChanged, .patientDuplicateDetected,
      .patientUnidentifiedDuplicateReview, .patientMerged, .patientUnmerged, .encounterRegistered,
      .encounterStatusChanged:
      return "REGISTRATION"
    case .progressNoteSigned, .clCrisisEpisodeResolved, .clAssessmentExpired, .clMoudMonitoringOverdue,
      .clMoudAdherenceRisk, .clCareGapIdentified, .clCrisisEpisodeOpened, .clRestraintEventInitiated,
      .clRestraintEventTerminated, .clCareGapClosed:
      return "CL"
    case .pmReferralAccepted, .pmPatientMerged:
      return "PM"
    case .faProgramCostAllocated:
      return "FA"
    case .ceLeadConvertedToPatient, .ceLeadConvertedToResident, .ceLeadConverted:
      return "CE"
    }
  }

  /// The seed's `subscriber` list, used by `ContractEnvelope(kind:payload:metadata:)`; empty for
  /// REGISTRATION events (they carry no envelope). Informational: the decoder does not enforce it.
  public var defaultSubscribers: [String] {
    switch self {
    case .patientCreated, .patientUpdated, .patientVitalStatusChanged, .patientDuplicateDetected,
      .patientUnidentifiedDuplicateReview, .patientMerged, .patientUnmerged, .encounterRegistered,
      .encounterStatusChanged:
      return []
    case .progressNoteSigned: return ["PM", "PF", "FW"]
    case .pmReferralAccepted: return ["CL", "PF"]
    case .faProgramCostAllocated: return ["CL"]
    case .clCrisisEpisodeResolved: return ["PM"]
    case .clAssessmentExpired, .clMoudMonitoringOverdue, .clMoudAdherenceRisk, .clCareGapIdentified,
      .clCareGapClosed:
      return ["FW"]
    case .clCrisisEpisodeOpened: return ["FW", "GR"]
    case .clRestraintEventInitiated, .clRestraintEventTerminated: return ["GR", "FW"]
    case .ceLeadConvertedToPatient: return ["PM", "Analytics"]
    case .ceLeadConvertedToResident: return ["RH", "PM", "Analytics"]
    case .ceLeadConverted: return ["RH"]
    case .pmPatientMerged: return ["CL", "PM", "CE", "PF"]
    }
  }
}
