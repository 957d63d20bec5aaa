/// A step of a running flow that will emit exactly one event when the generator reaches it. A
/// step is scheduled only after the event it depends on was emitted, so causal order holds however
/// the flows interleave.
enum FlowStep: Sendable {
  /// What every step of one flow instance shares.
  struct Context: Sendable {
    var flow: FlowKind
    /// Index into the generator's organizations.
    var organization: Int
    /// The correlation id of every contract event of the flow (a UUID; CE-29 uses its own format).
    var correlationID: String
  }

  /// An encounter flow in progress.
  struct EncounterPlan: Sendable {
    var patient: LoadOrganization.Patient
    var chartID: String
    var encounterID: String
    var encounterType: String
    var serviceDate: String
    var status: String
  }

  /// A CE-29 conversion whose patient is about to be created.
  struct ConversionPlan: Sendable {
    var patientID: String
    var correlationID: String
    var isProvisional: Bool
  }

  /// A merge of two patients of one organization (`source` is deactivated into `survivor`).
  struct MergePlan: Sendable {
    var survivor: LoadOrganization.Patient
    var source: LoadOrganization.Patient
    var mergeLogID: String
  }

  /// An open crisis episode.
  struct CrisisPlan: Sendable {
    var crisis: LoadOrganization.Crisis
    var crisisType: String
    var clinicianID: String
    var siteID: String
    var serviceDate: String
  }

  /// A restraint or seclusion in progress.
  struct RestraintPlan: Sendable {
    var restraintID: String
    var patientID: String
    var initiationMillis: Int64
    var plannedMillis: Int64
    var maxDurationHours: Double
    var crisisEpisodeID: String?
    var clinicianID: String
    var siteID: String
  }

  /// A MOUD enrollment or care gap that an alert opened.
  struct AlertPlan: Sendable {
    var entityID: String
    var chartID: String
    var gapType: String
    var clinicianID: String
    var careManagerID: String?
    var openedMillis: Int64
  }

  // MARK: encounterThenNote
  case registerEncounter(Context, LoadOrganization.Patient)
  case encounterArrived(Context, EncounterPlan)
  case signNote(Context, EncounterPlan)
  case closeEncounter(Context, EncounterPlan, newStatus: String)

  // MARK: referralAccepted
  case acceptReferral(Context, LoadOrganization.Patient)

  // MARK: leadConversion
  case createConvertedPatient(Context, ConversionPlan)
  case publishMerge(Context, MergePlan)
  case registerMerge(Context, MergePlan)
  case registerUnmerge(Context, MergePlan)

  // MARK: crisis and restraint
  case openCrisis(Context, LoadOrganization.Patient)
  case resolveCrisis(Context, CrisisPlan)
  case initiateRestraint(Context, LoadOrganization.Patient)
  case terminateRestraint(Context, RestraintPlan)

  // MARK: clinicalAlerts
  case raiseAlert(Context, LoadOrganization.Patient)
  case moudAdherenceRisk(Context, AlertPlan)
  case closeCareGap(Context, AlertPlan)

  // MARK: registrationMisc
  case registrationChange(Context)
  case correctVitalStatus(Context, LoadOrganization.Patient, deceasedMillis: Int64)
  case reviewUnidentified(Context, LoadOrganization.Patient)
}
