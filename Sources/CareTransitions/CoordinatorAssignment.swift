/// The outcome of the CL-12 coordinator assignment rule for one referral.
///
/// Rule: the candidates are the coordinators whose `service_types` contain the referral's
/// service type, else the organization's default coordinators. Among the candidates below their
/// `max_active`, the one with the fewest active transitions wins, ties broken by the lowest id
/// (a fair, deterministic spread). When every candidate is at `max_active`, an urgent or emergent
/// referral (with `urgent_first`) still goes to the least loaded candidate, so it is never left
/// unassigned; a routine one is left unassigned (`awaiting_coordinator`).
public struct CoordinatorAssignment: Sendable, Equatable {
  /// The chosen coordinator, or `nil` when the transition awaits one.
  public var coordinatorId: String?
  /// Where the candidates came from.
  public var pool: CoordinatorPool
  /// Why this coordinator (or none) was chosen.
  public var reason: Reason
  /// Active transitions the chosen coordinator had before this one (0 when unassigned).
  public var activeBefore: Int

  /// Creates a value.
  public init(coordinatorId: String?, pool: CoordinatorPool, reason: Reason, activeBefore: Int = 0) {
    self.coordinatorId = coordinatorId
    self.pool = pool
    self.reason = reason
    self.activeBefore = activeBefore
  }

  /// Why an assignment came out as it did; stored in `cl_care_transitions.assignment_reason`.
  public enum Reason: String, Sendable, Equatable {
    /// The candidate below `max_active` with the fewest active transitions (ties: lowest id).
    case fewestActive = "fewest_active"
    /// Every candidate was at `max_active`; an urgent or emergent referral went to the least loaded.
    case urgentOverCapacity = "urgent_over_capacity"
    /// Every candidate was at `max_active`; the routine referral awaits a coordinator.
    case allAtCapacity = "all_at_capacity"
    /// No candidate is configured for the organization and service type.
    case noCandidates = "no_candidates"
  }

  /// Applies the rule. `activeCount` returns the number of active transitions of a coordinator
  /// (read from `cl_care_transitions` by the handler; any closure in tests).
  public static func decide(
    serviceType: String, urgent: Bool, rules: CoordinatorAssignmentRules?,
    activeCount: (String) throws -> Int
  ) rethrows -> CoordinatorAssignment {
    guard let rules else {
      return CoordinatorAssignment(coordinatorId: nil, pool: .none, reason: .noCandidates)
    }
    let (pool, candidates) = rules.candidates(for: serviceType)
    if candidates.isEmpty {
      return CoordinatorAssignment(coordinatorId: nil, pool: pool, reason: .noCandidates)
    }
    var loads: [(coordinator: CareCoordinator, active: Int)] = []
    for candidate in candidates {
      loads.append((candidate, try activeCount(candidate.id)))
    }
    let ordered = loads.sorted { lhs, rhs in
      lhs.active != rhs.active ? lhs.active < rhs.active : lhs.coordinator.id < rhs.coordinator.id
    }
    if let below = ordered.first(where: { $0.active < $0.coordinator.maxActive }) {
      return CoordinatorAssignment(
        coordinatorId: below.coordinator.id, pool: pool, reason: .fewestActive, activeBefore: below.active)
    }
    if urgent && rules.urgentFirst, let least = ordered.first {
      return CoordinatorAssignment(
        coordinatorId: least.coordinator.id, pool: pool, reason: .urgentOverCapacity,
        activeBefore: least.active)
    }
    return CoordinatorAssignment(coordinatorId: nil, pool: pool, reason: .allAtCapacity)
  }
}
