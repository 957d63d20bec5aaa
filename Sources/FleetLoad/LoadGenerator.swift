import CloudEvents
import DomainEvents
import Foundation

/// A deterministic, infinite sequence of realistic and referentially consistent domain events.
///
/// Each call to `next()` emits one event: either a re-emitted earlier event (a redelivery, share
/// `duplicateShare`), a deliberately invalid event (share `invalidShare`), the next due step of a
/// running flow, or the first event of a new flow chosen by the profile's weights. Flow steps are
/// scheduled 1–24 events after the event they depend on, so flows interleave while each keeps its
/// causal order. Everything derives from the seed and the start time: two generators with the same
/// profile and start time emit byte-identical events.
///
/// Timestamps advance 0.2–1.8 s per event from `startTime`; a restraint's termination moves the
/// clock forward to the moment the restraint ended when that is later (a quiet period), so every
/// domain time is at or before the time of the event that reports it.
public struct LoadGenerator: Sendable {
  /// A scheduled flow step.
  struct PendingStep: Sendable {
    var readyAt: Int
    var order: Int
    var step: FlowStep
  }

  /// The profile in use, normalized (`LoadProfile.normalized`).
  public let profile: LoadProfile
  /// How many events `next()` has returned.
  public private(set) var emittedCount = 0
  /// When true (the default) every valid event is built by `DomainEventEncoder`, which decodes and
  /// validates what it builds (about 150 µs per event in a release build). When false the generator
  /// builds the identical CloudEvent itself (same attributes and data bytes, as a test checks),
  /// several times faster, for load runs that need more events per second than validation allows.
  public var validatesEnvelopes = true

  var random: SeededRandom
  var clock: SimulatedClock
  var organizations: [LoadOrganization]
  var pending: [PendingStep] = []
  var scheduledCount = 0
  /// Recent valid, original events: the pool duplicates are drawn from.
  var recent: [GeneratedEvent] = []
  var recentCursor = 0
  let flowWeights: [(FlowKind, Double)]

  /// At most this many steps wait at once; beyond it due steps always run first.
  static let maximumPending = 256
  /// How many recent events duplicates are drawn from.
  static let recentCapacity = 256
  /// The largest distance, in events, between a step and the event it follows.
  static let maximumGap = 24

  /// Creates the generator; timestamps advance deterministically from `startTime`.
  public init(profile: LoadProfile, startTime: Date) {
    let normalized = profile.normalized
    self.profile = normalized
    random = SeededRandom(seed: normalized.seed)
    clock = SimulatedClock(start: startTime)
    // Organizations come from their own stream, so their ids depend only on the seed and index.
    var identities = SeededRandom(seed: normalized.seed ^ 0x6F72_6761_6E69_7A65)
    organizations = (0..<normalized.organizations).map { _ in LoadOrganization(random: &identities) }
    flowWeights = FlowKind.allCases.map { ($0, normalized.weights[$0] ?? 0) }
  }

  /// The organization (tenant) UUIDs, derived from the seed.
  public var organizationIDs: [String] { organizations.map(\.id) }

  /// The next event of the infinite sequence.
  public mutating func next() -> GeneratedEvent {
    emittedCount += 1
    clock.advance(by: Int64(200 + random.int(below: 1601)))
    let draw = random.unit()
    if draw < profile.duplicateShare, let original = random.element(of: recent) {
      var duplicate = original
      duplicate.isDuplicate = true
      return duplicate
    }
    if draw < profile.duplicateShare + profile.invalidShare {
      return makeInvalidEvent()
    }
    if let index = dueStepIndex(), pending.count >= Self.maximumPending || random.chance(0.6) {
      let step = pending.remove(at: index).step
      return run(step)
    }
    return startFlow()
  }

  /// The next `count` events (none for a count ≤ 0).
  public mutating func next(_ count: Int) -> [GeneratedEvent] {
    guard count > 0 else { return [] }
    var events: [GeneratedEvent] = []
    events.reserveCapacity(count)
    for _ in 0..<count { events.append(next()) }
    return events
  }

  // MARK: Scheduling

  /// The due step scheduled earliest, if any.
  private func dueStepIndex() -> Int? {
    var best: Int?
    for (index, candidate) in pending.enumerated() where candidate.readyAt <= emittedCount {
      if let current = best {
        let chosen = pending[current]
        if (candidate.readyAt, candidate.order) < (chosen.readyAt, chosen.order) { best = index }
      } else {
        best = index
      }
    }
    return best
  }

  /// Schedules `step` 1…`maximumGap` events from now.
  mutating func schedule(_ step: FlowStep) {
    scheduledCount += 1
    let readyAt = emittedCount + random.int(in: 1...Self.maximumGap)
    pending.append(PendingStep(readyAt: readyAt, order: scheduledCount, step: step))
  }

  private mutating func startFlow() -> GeneratedEvent {
    let flow = random.weighted(flowWeights) ?? .encounterThenNote
    let context = FlowStep.Context(
      flow: flow, organization: random.int(below: organizations.count), correlationID: random.uuid())
    switch flow {
    case .encounterThenNote:
      return withPatient(context, chart: false, newShare: 0.2) { .registerEncounter(context, $0) }
    case .referralAccepted:
      return withPatient(context, chart: false, newShare: 0.25, newPatientHasChart: false) {
        .acceptReferral(context, $0)
      }
    case .leadConversion:
      return convertLead(context)
    case .crisis:
      return withPatient(context, chart: true, newShare: 0.15) { .openCrisis(context, $0) }
    case .restraint:
      if random.chance(0.35), let crisis = organizations[context.organization].randomCrisis(&random),
        let patient = organizations[context.organization].patient(crisis.patientID)
      {
        return run(.initiateRestraint(context, patient))
      }
      return withPatient(context, chart: true, newShare: 0.15) { .initiateRestraint(context, $0) }
    case .clinicalAlerts:
      return withPatient(context, chart: true, newShare: 0.1) { .raiseAlert(context, $0) }
    case .costAllocation:
      return allocateProgramCost(context)
    case .registrationMisc:
      return run(.registrationChange(context))
    }
  }

  /// Runs `step` with a patient of the flow's organization: an existing one (with a chart when
  /// `chart` is set), or a new one announced by `REGISTRATION.patient.created` first (the step then
  /// follows later). New patients appear with probability `newShare` and whenever fewer than five
  /// suitable patients exist.
  private mutating func withPatient(
    _ context: FlowStep.Context, chart: Bool, newShare: Double, newPatientHasChart: Bool = true,
    _ step: (LoadOrganization.Patient) -> FlowStep
  ) -> GeneratedEvent {
    let organization = organizations[context.organization]
    let suitable = chart ? organization.patients.filter { $0.chartID != nil } : organization.patients
    if suitable.count >= 5, !random.chance(newShare), let patient = random.element(of: suitable) {
      return run(step(patient))
    }
    let patient = newPatient(context, chart: chart || newPatientHasChart)
    let event = patientCreated(context, patient, correlationExtension: nil)
    schedule(step(patient))
    return event
  }

  /// Executes one step: emits its event and schedules what follows.
  mutating func run(_ step: FlowStep) -> GeneratedEvent {
    switch step {
    case .registerEncounter(let context, let patient): return registerEncounter(context, patient)
    case .encounterArrived(let context, let plan): return encounterArrived(context, plan)
    case .signNote(let context, let plan): return signNote(context, plan)
    case .closeEncounter(let context, let plan, let newStatus):
      return closeEncounter(context, plan, newStatus)
    case .acceptReferral(let context, let patient): return acceptReferral(context, patient)
    case .createConvertedPatient(let context, let plan): return createConvertedPatient(context, plan)
    case .publishMerge(let context, let plan): return publishMerge(context, plan)
    case .registerMerge(let context, let plan): return registerMerge(context, plan)
    case .registerUnmerge(let context, let plan): return registerUnmerge(context, plan)
    case .openCrisis(let context, let patient): return openCrisis(context, patient)
    case .resolveCrisis(let context, let plan): return resolveCrisis(context, plan)
    case .initiateRestraint(let context, let patient): return initiateRestraint(context, patient)
    case .terminateRestraint(let context, let plan): return terminateRestraint(context, plan)
    case .raiseAlert(let context, let patient): return raiseAlert(context, patient)
    case .moudAdherenceRisk(let context, let plan): return moudAdherenceRisk(context, plan)
    case .closeCareGap(let context, let plan): return closeCareGap(context, plan)
    case .registrationChange(let context): return registrationChange(context)
    case .correctVitalStatus(let context, let patient, let deceasedMillis):
      return correctVitalStatus(context, patient, deceasedMillis: deceasedMillis)
    case .reviewUnidentified(let context, let patient): return reviewUnidentified(context, patient)
    }
  }
}
