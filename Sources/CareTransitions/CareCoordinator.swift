import ConsumerRuntime

/// A care coordinator who may receive care transitions of an organization (CL-12 assignment rules).
public struct CareCoordinator: Codable, Sendable, Equatable {
  /// The coordinator's pf_profiles.id (UUID), stored lowercased.
  public var id: String
  /// Service types this coordinator covers, e.g. `behavioral_health`, `substance_use`.
  public var serviceTypes: [String]
  /// Active transitions above which routine referrals no longer go to this coordinator.
  public var maxActive: Int

  /// The `max_active` used when a coordinator entry omits it.
  public static let defaultMaxActive = 25

  /// Creates a coordinator; the id and service types are normalized to lower case.
  public init(id: String, serviceTypes: [String], maxActive: Int = CareCoordinator.defaultMaxActive) {
    self.id = id.lowercased()
    self.serviceTypes = serviceTypes.map { $0.lowercased() }
    self.maxActive = maxActive
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case id
    case serviceTypes = "service_types"
    case maxActive = "max_active"
  }

  /// Decodes `{"id": "<uuid>", "service_types": [...], "max_active": 25}`; `service_types` and
  /// `max_active` are optional, unknown keys are rejected.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      id: try container.decode(String.self, forKey: .id),
      serviceTypes: try container.decodeIfPresent([String].self, forKey: .serviceTypes) ?? [],
      maxActive: try container.decodeIfPresent(Int.self, forKey: .maxActive) ?? Self.defaultMaxActive)
  }

  /// Encodes the same shape it decodes.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(serviceTypes, forKey: .serviceTypes)
    try container.encode(maxActive, forKey: .maxActive)
  }

  /// True when the coordinator covers `serviceType` (case-insensitive).
  public func covers(_ serviceType: String) -> Bool {
    serviceTypes.contains(serviceType.lowercased())
  }
}
