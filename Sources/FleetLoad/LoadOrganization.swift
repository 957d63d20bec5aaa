/// One simulated tenant: its fixed staff and programs (derived from the seed) and the entities the
/// generator has announced so far (patients, encounters, crisis episodes), so later events only
/// reference what an earlier event created in the same organization.
struct LoadOrganization: Sendable {
  /// A patient announced by `REGISTRATION.patient.created`.
  struct Patient: Sendable, Equatable {
    var id: String
    var mrn: String
    /// `cl_patient_charts.id`; `nil` until the first clinical documentation opens a chart.
    var chartID: String?
    var isUnidentified: Bool
    var isProvisional: Bool
    var isNewborn: Bool
    var temporaryEnterpriseKey: String?
    var unidentifiedSlaDueAt: String?
  }

  /// An encounter announced by `REGISTRATION.encounter.registered`.
  struct Encounter: Sendable {
    var id: String
    var patientID: String
    var serviceDate: String
  }

  /// A crisis episode announced by `cl_crisis_episode_opened`.
  struct Crisis: Sendable {
    var id: String
    var patientID: String
    var chartID: String
  }

  /// A program of the organization (FA-35).
  struct Program: Sendable {
    var id: String
    var name: String
  }

  /// Most entities kept per list; older ones are forgotten (never referenced again).
  static let retained = 400

  let id: String
  /// Four letters used in MRNs and temporary enterprise keys (`PAT-ABCD-…`).
  let code: String
  let sites: [String]
  let clinicians: [String]
  let supervisors: [String]
  let careManagers: [String]
  /// Intake, finance and registration staff (converted_by, referral and cost allocation users).
  let staff: [String]
  let programs: [Program]

  /// Active patients (merged-away and deceased patients are removed).
  private(set) var patients: [Patient] = []
  private(set) var encounters: [Encounter] = []
  private(set) var crises: [Crisis] = []
  /// Patients taking part in a merge that has not settled; never picked for another merge.
  private(set) var mergeLocked: Set<String> = []

  /// Derives the organization's identity, staff and programs from `random`.
  init(random: inout SeededRandom) {
    id = random.uuid()
    code = random.letters(4)
    sites = (0..<2).map { _ in random.uuid() }
    clinicians = (0..<12).map { _ in random.uuid() }
    supervisors = (0..<3).map { _ in random.uuid() }
    careManagers = (0..<4).map { _ in random.uuid() }
    staff = (0..<4).map { _ in random.uuid() }
    programs = ["IOP", "PHP", "Residential", "Outpatient", "MAT"].map { Program(id: random.uuid(), name: $0) }
  }

  // MARK: Patients

  mutating func add(_ patient: Patient) {
    patients.append(patient)
    if patients.count > Self.retained { patients.removeFirst(patients.count - Self.retained) }
  }

  mutating func remove(patientID: String) {
    patients.removeAll { $0.id == patientID }
  }

  mutating func update(_ patient: Patient) {
    if let index = patients.firstIndex(where: { $0.id == patient.id }) { patients[index] = patient }
  }

  func patient(_ id: String) -> Patient? {
    patients.first { $0.id == id }
  }

  func randomPatient(_ random: inout SeededRandom, withChart: Bool = false) -> Patient? {
    random.element(of: withChart ? patients.filter { $0.chartID != nil } : patients)
  }

  /// Up to `count` distinct active patients other than `excluded`.
  func randomPatients(_ random: inout SeededRandom, count: Int, excluding excluded: String? = nil)
    -> [Patient]
  {
    var pool = patients.filter { $0.id != excluded }
    var chosen: [Patient] = []
    while chosen.count < count, !pool.isEmpty {
      chosen.append(pool.remove(at: random.int(below: pool.count)))
    }
    return chosen
  }

  /// An active patient that may take part in a new merge with `other`.
  func mergeCandidate(_ random: inout SeededRandom, other: String) -> Patient? {
    random.element(of: patients.filter { $0.id != other && !mergeLocked.contains($0.id) })
  }

  func isMergeLocked(_ id: String) -> Bool { mergeLocked.contains(id) }

  mutating func lock(_ ids: [String]) { for id in ids { mergeLocked.insert(id) } }

  mutating func unlock(_ ids: [String]) { for id in ids { mergeLocked.remove(id) } }

  // MARK: Encounters and crises

  mutating func add(_ encounter: Encounter) {
    encounters.append(encounter)
    if encounters.count > Self.retained { encounters.removeFirst(encounters.count - Self.retained) }
  }

  /// The latest registered encounter of `patientID`, if any is remembered.
  func latestEncounter(of patientID: String) -> Encounter? {
    encounters.last { $0.patientID == patientID }
  }

  mutating func add(_ crisis: Crisis) {
    crises.append(crisis)
    if crises.count > 50 { crises.removeFirst(crises.count - 50) }
  }

  func randomCrisis(_ random: inout SeededRandom) -> Crisis? {
    random.element(of: crises)
  }
}
