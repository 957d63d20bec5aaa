/// What `LoadGenerator` produces: the seed, the number of tenants, the shares of redeliveries and
/// invalid events, and the mix of flows.
///
/// Decoding accepts a partial JSON object (`{"seed": 7}`): absent members take the defaults below.
/// Out-of-range values never trap; `LoadGenerator` clamps them (see `normalized`).
public struct LoadProfile: Sendable, Codable, Equatable {
  /// The seed of every random choice: same seed, same events, byte for byte.
  public var seed: UInt64
  /// How many organizations (tenants) to spread the flows over; their UUIDs derive from the seed.
  public var organizations: Int = 3
  /// Share of emitted events that re-emit an earlier valid event unchanged (same CloudEvents id),
  /// as a redelivery would.
  public var duplicateShare: Double = 0.02
  /// Share of emitted events that deliberately break their contract, spread evenly over every
  /// `Invalidity`.
  public var invalidShare: Double = 0.01
  /// Relative weight of each flow when a new flow starts (missing kinds weigh 0). The default mix
  /// is `LoadProfile.defaultWeights`.
  public var weights: [FlowKind: Double]

  /// The default flow mix, relative weights per started flow (flows have 1–5 events each):
  /// encounters and notes 30, clinical alerts 17, registration misc 14, lead conversions 12,
  /// referrals 10, crises 8, restraints 5, cost allocations 4.
  public static let defaultWeights: [FlowKind: Double] = [
    .encounterThenNote: 30, .clinicalAlerts: 17, .registrationMisc: 14, .leadConversion: 12,
    .referralAccepted: 10, .crisis: 8, .restraint: 5, .costAllocation: 4,
  ]

  /// The largest accepted `organizations`.
  public static let maximumOrganizations = 1_000

  /// The largest accepted `duplicateShare` and `invalidShare` (each).
  public static let maximumShare = 0.5

  /// Creates a profile; unspecified values take the defaults.
  public init(
    seed: UInt64, organizations: Int = 3, duplicateShare: Double = 0.02, invalidShare: Double = 0.01,
    weights: [FlowKind: Double] = LoadProfile.defaultWeights
  ) {
    self.seed = seed
    self.organizations = organizations
    self.duplicateShare = duplicateShare
    self.invalidShare = invalidShare
    self.weights = weights
  }

  /// The profile with every value in range: 1…`maximumOrganizations` organizations, shares in
  /// 0…`maximumShare` (NaN → default), weights finite and ≥ 0, and the default mix when no weight
  /// is positive.
  public var normalized: LoadProfile {
    var profile = self
    profile.organizations = min(max(organizations, 1), Self.maximumOrganizations)
    profile.duplicateShare = Self.clampShare(duplicateShare, default: 0.02)
    profile.invalidShare = Self.clampShare(invalidShare, default: 0.01)
    var cleaned: [FlowKind: Double] = [:]
    for flow in FlowKind.allCases {
      let weight = weights[flow] ?? 0
      cleaned[flow] = weight.isFinite && weight > 0 ? weight : 0
    }
    if !cleaned.values.contains(where: { $0 > 0 }) { cleaned = Self.defaultWeights }
    profile.weights = cleaned
    return profile
  }

  private static func clampShare(_ value: Double, default fallback: Double) -> Double {
    guard value.isFinite else { return fallback }
    return min(max(value, 0), maximumShare)
  }

  private enum CodingKeys: String, CodingKey {
    case seed, organizations, duplicateShare, invalidShare, weights
  }

  /// Decodes a profile; every member but `seed` is optional.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    seed = try container.decode(UInt64.self, forKey: .seed)
    organizations = try container.decodeIfPresent(Int.self, forKey: .organizations) ?? 3
    duplicateShare = try container.decodeIfPresent(Double.self, forKey: .duplicateShare) ?? 0.02
    invalidShare = try container.decodeIfPresent(Double.self, forKey: .invalidShare) ?? 0.01
    weights = try container.decodeIfPresent([FlowKind: Double].self, forKey: .weights) ?? Self.defaultWeights
  }
}
