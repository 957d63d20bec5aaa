import ConsumerRuntime

/// One organization's coordinator assignment rules (CL-12):
/// `{"coordinators": [...], "default_coordinator_ids": [...], "default_max_active": 25, "urgent_first": true}`.
public struct CoordinatorAssignmentRules: Codable, Sendable, Equatable {
  /// Coordinators with the service types they cover.
  public var coordinators: [CareCoordinator]
  /// Coordinators who take referrals whose service type no coordinator covers.
  public var defaultCoordinatorIds: [String]
  /// `max_active` of a default coordinator that has no entry in `coordinators`.
  public var defaultMaxActive: Int
  /// When true (the default), urgent and emergent referrals are never left unassigned: if every
  /// candidate is at `max_active`, the least loaded one takes the referral anyway. When false
  /// they follow the routine rule.
  public var urgentFirst: Bool

  /// Creates rules; ids are normalized to lower case.
  public init(
    coordinators: [CareCoordinator], defaultCoordinatorIds: [String] = [],
    defaultMaxActive: Int = CareCoordinator.defaultMaxActive, urgentFirst: Bool = true
  ) {
    self.coordinators = coordinators
    self.defaultCoordinatorIds = defaultCoordinatorIds.map { $0.lowercased() }
    self.defaultMaxActive = defaultMaxActive
    self.urgentFirst = urgentFirst
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case coordinators
    case defaultCoordinatorIds = "default_coordinator_ids"
    case defaultMaxActive = "default_max_active"
    case urgentFirst = "urgent_first"
  }

  /// Decodes the organization object; every key is optional, unknown keys are rejected.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      coordinators: try container.decodeIfPresent([CareCoordinator].self, forKey: .coordinators) ?? [],
      defaultCoordinatorIds: try container.decodeIfPresent([String].self, forKey: .defaultCoordinatorIds)
        ?? [],
      defaultMaxActive: try container.decodeIfPresent(Int.self, forKey: .defaultMaxActive)
        ?? CareCoordinator.defaultMaxActive,
      urgentFirst: try container.decodeIfPresent(Bool.self, forKey: .urgentFirst) ?? true)
  }

  /// Encodes the same shape it decodes.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(coordinators, forKey: .coordinators)
    try container.encode(defaultCoordinatorIds, forKey: .defaultCoordinatorIds)
    try container.encode(defaultMaxActive, forKey: .defaultMaxActive)
    try container.encode(urgentFirst, forKey: .urgentFirst)
  }

  /// The candidates for a service type: the coordinators covering it, or else the default
  /// coordinators (with their own `max_active` when they also have an entry, `default_max_active`
  /// otherwise). Each id appears once.
  public func candidates(for serviceType: String) -> (pool: CoordinatorPool, coordinators: [CareCoordinator])
  {
    let matching = unique(coordinators.filter { $0.covers(serviceType) })
    if !matching.isEmpty { return (.serviceType, matching) }
    let defaults = defaultCoordinatorIds.map { id in
      coordinators.first(where: { $0.id == id })
        ?? CareCoordinator(id: id, serviceTypes: [], maxActive: defaultMaxActive)
    }
    let pool = unique(defaults)
    return pool.isEmpty ? (.none, []) : (.defaults, pool)
  }

  /// Problems that make the rules unusable, each as a short message (empty when valid).
  func problems(organization: String) -> [String] {
    var problems: [String] = []
    var seen: Set<String> = []
    for coordinator in coordinators {
      if coordinator.id.isEmpty { problems.append("\(organization): a coordinator has an empty id") }
      if coordinator.maxActive < 0 {
        problems.append("\(organization): coordinator \(coordinator.id) has a negative max_active")
      }
      if !seen.insert(coordinator.id).inserted {
        problems.append("\(organization): coordinator \(coordinator.id) is listed twice")
      }
    }
    if defaultCoordinatorIds.contains(where: \.isEmpty) {
      problems.append("\(organization): default_coordinator_ids contains an empty id")
    }
    if defaultMaxActive < 0 { problems.append("\(organization): default_max_active is negative") }
    return problems
  }

  private func unique(_ list: [CareCoordinator]) -> [CareCoordinator] {
    var seen: Set<String> = []
    return list.filter { seen.insert($0.id).inserted }
  }
}
