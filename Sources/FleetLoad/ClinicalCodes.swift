/// The code lists the generator draws from: real CPT/HCPCS codes and modifiers, and the
/// enumerations and example values the seeds document. Payloads carry only these codes and UUIDs,
/// never names or narrative.
public enum ClinicalCodes {
  /// CPT codes: psychotherapy 30/45/60 min, diagnostic evaluation, interactive complexity, crisis
  /// psychotherapy first 60 min and each additional 30 min, brief emotional/behavioral assessment.
  public static let cpt = ["90832", "90834", "90837", "90791", "90785", "90839", "90840", "96127"]
  /// HCPCS codes: behavioral health counseling, self-help/peer services, alcohol/drug treatment
  /// program, targeted case management, crisis intervention per 15 min / per hour / per diem.
  public static let hcpcs = ["H0004", "H0038", "H2035", "T1017", "H2011", "S9484", "S9485"]
  /// Every billing code the generator emits.
  public static var billingCodes: [String] { cpt + hcpcs }
  /// Modifiers: telehealth via interactive audio/video (GT, 95), group setting (HQ).
  public static let modifiers = ["GT", "95", "HQ"]
  /// Referral service types (003).
  public static let serviceTypes = ["behavioral_health", "substance_use", "psychiatric"]
  /// Crisis types (004).
  public static let crisisTypes = ["walk_in", "mobile", "observation_23hr", "phone", "telehealth"]
  /// Crisis risk levels: high and imminent trigger FW (004); moderate is accepted too.
  public static let riskLevels = ["high", "imminent", "moderate"]
  /// Encounter types (FHIR ActCode): ambulatory and virtual.
  public static let encounterTypes = ["AMB", "VR"]
  /// Assessment types (004 Event 1).
  public static let assessmentTypes = ["comprehensive", "calocus", "asam", "phq9", "gad7", "cssrs"]
  /// MOUD monitoring types (004 Event 2).
  public static let monitoringTypes = ["uds", "vital_signs", "lab_work", "clinical_review"]
  /// MOUD medications (004 Event 2).
  public static let medications = ["buprenorphine", "naltrexone", "methadone"]
  /// MOUD adherence risk factors (004 Event 3).
  public static let riskFactors = ["missed_uds", "missed_appointment", "dose_reduction"]
  /// Care gaps (004 Event 4): gap type, HEDIS measure id and the measure's catalog description.
  public static let careGaps: [(gapType: String, measureID: String, description: String)] = [
    ("hedis_amm", "AMM", "AMM: Antidepressant medication management — acute phase"),
    ("hedis_fuh", "FUH", "FUH: Follow-up after hospitalization for mental illness — 7 day"),
    ("hedis_fum", "FUM", "FUM: Follow-up after emergency department visit for mental illness — 30 day"),
    ("hedis_iet", "IET", "IET: Initiation and engagement of substance use disorder treatment"),
    ("preventive_screening", "DSF", "DSF: Depression screening and follow-up"),
  ]
  /// Care gap closure types (004 Event 8).
  public static let closureTypes = ["service_completed", "clinician_override", "measure_exclusion"]
  /// Restraint termination reasons (codes, not narrative).
  public static let terminationReasons = [
    "behavior_resolved", "release_criteria_met", "physician_order", "transfer_to_higher_care",
  ]
  /// The text `cl_restraint_event_initiated.action_required` carries (004 example).
  public static let restraintAction = "Restraint initiated — verify monitoring and face-to-face compliance"
  /// Cost allocation methods (003 Event 3).
  public static let allocationMethods = ["direct", "step_down", "activity_based"]
  /// `custom_fields.lead_source` values of CE-29 conversions.
  public static let leadSources = ["web_form", "phone_inquiry", "referral_partner", "community_event"]
}
