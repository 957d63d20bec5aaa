import ConsumerRuntime
import Foundation

/// The care-transitions service configuration: per-organization coordinator assignment rules and
/// the role names that receive chart-creation and unassigned-transition notifications.
///
/// ```json
/// {
///   "chart_creation_role": "health_information",
///   "coordination_lead_role": "care_coordination_lead",
///   "organizations": {
///     "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b": {
///       "coordinators": [
///         {"id": "0b0c0d0e-0000-4000-8000-000000000001", "service_types": ["behavioral_health"], "max_active": 25}
///       ],
///       "default_coordinator_ids": ["0b0c0d0e-0000-4000-8000-000000000001"],
///       "default_max_active": 25,
///       "urgent_first": true
///     }
///   }
/// }
/// ```
/// Every key is optional; unknown keys are rejected so that a typo never silently becomes a default.
public struct CareTransitionsConfiguration: Codable, Sendable, Equatable {
  /// Assignment rules keyed by organization id (lowercased).
  public var organizations: [String: CoordinatorAssignmentRules]
  /// Role notified with `chart_creation_required` when a referral's patient has no known chart.
  public var chartCreationRole: String
  /// Role notified with `care_transition_awaiting_coordinator` when no coordinator could be assigned.
  public var coordinationLeadRole: String

  /// No organization rules; roles `health_information` and `care_coordination_lead`.
  public static let defaults = CareTransitionsConfiguration()

  /// Creates a configuration; organization ids are normalized to lower case.
  public init(
    organizations: [String: CoordinatorAssignmentRules] = [:],
    chartCreationRole: String = "health_information",
    coordinationLeadRole: String = "care_coordination_lead"
  ) {
    self.organizations = Dictionary(
      organizations.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    self.chartCreationRole = chartCreationRole
    self.coordinationLeadRole = coordinationLeadRole
  }

  /// Parses a configuration file; `nil` gives `defaults`. Throws
  /// `CareTransitionsConfigurationError` for malformed JSON, unknown keys or invalid values.
  public static func load(json: [UInt8]?) throws -> CareTransitionsConfiguration {
    guard let json else { return .defaults }
    let configuration: CareTransitionsConfiguration
    do {
      configuration = try JSONDecoder().decode(CareTransitionsConfiguration.self, from: Data(json))
    } catch {
      throw CareTransitionsConfigurationError(
        message: "configuration is not valid", underlying: CareTransitionsConfigurationError.describe(error))
    }
    let problems = configuration.problems()
    if !problems.isEmpty {
      throw CareTransitionsConfigurationError(
        message: "configuration is not valid", underlying: problems.joined(separator: "; "))
    }
    return configuration
  }

  /// The assignment rules of an organization, if it is configured.
  public func rules(for organizationId: String) -> CoordinatorAssignmentRules? {
    organizations[organizationId.lowercased()]
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case organizations
    case chartCreationRole = "chart_creation_role"
    case coordinationLeadRole = "coordination_lead_role"
  }

  /// Decodes the configuration object; every key is optional, unknown keys are rejected.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let organizations =
      try container.decodeIfPresent([String: CoordinatorAssignmentRules].self, forKey: .organizations) ?? [:]
    let lowered = Set(organizations.keys.map { $0.lowercased() })
    if lowered.count != organizations.count {
      throw DecodingError.dataCorruptedError(
        forKey: .organizations, in: container, debugDescription: "an organization id is listed twice")
    }
    self.init(
      organizations: organizations,
      chartCreationRole: try container.decodeIfPresent(String.self, forKey: .chartCreationRole)
        ?? "health_information",
      coordinationLeadRole: try container.decodeIfPresent(String.self, forKey: .coordinationLeadRole)
        ?? "care_coordination_lead")
  }

  /// Encodes the same shape it decodes.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(organizations, forKey: .organizations)
    try container.encode(chartCreationRole, forKey: .chartCreationRole)
    try container.encode(coordinationLeadRole, forKey: .coordinationLeadRole)
  }

  private func problems() -> [String] {
    var problems: [String] = []
    if chartCreationRole.isEmpty { problems.append("chart_creation_role is empty") }
    if coordinationLeadRole.isEmpty { problems.append("coordination_lead_role is empty") }
    for organization in organizations.keys.sorted() {
      if organization.isEmpty { problems.append("an organization id is empty") }
      problems += organizations[organization]?.problems(organization: organization) ?? []
    }
    return problems
  }
}
