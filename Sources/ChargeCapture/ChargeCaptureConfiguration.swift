import ConsumerRuntime
import DomainEvents
import Foundation

/// The charge-capture configuration (the CONFIG_FILE JSON):
///
/// ```json
/// {"defaults": {"auto_post_enabled": false},
///  "organizations": {"<org uuid>": {"auto_post_enabled": true, "auto_post_high_risk_codes": false,
///    "auto_post_high_risk_codes_list": ["90839"], "time_based_codes": {"H0004": {"minutes_per_unit": 15}}}}}
/// ```
///
/// Both top-level keys are optional; organization keys must be UUIDs (compared case-insensitively).
public struct ChargeCaptureConfiguration: Codable, Sendable, Equatable {
  /// Settings per organization id (lowercased UUID).
  public var organizations: [String: OrganizationBillingSettings]
  /// Settings for keys an organization does not set, and for organizations not listed.
  public var defaults: OrganizationBillingSettings

  /// Creates a configuration; organization keys are lowercased.
  public init(
    organizations: [String: OrganizationBillingSettings] = [:],
    defaults: OrganizationBillingSettings = .init()
  ) {
    var normalized: [String: OrganizationBillingSettings] = [:]
    for (key, value) in organizations { normalized[key.lowercased()] = value }
    self.organizations = normalized
    self.defaults = defaults
  }

  /// The built-in configuration: auto-posting off everywhere, default high-risk list and unit table.
  public static let builtIn = ChargeCaptureConfiguration()

  /// Parses the CONFIG_FILE bytes; `nil` (no file) gives `builtIn`.
  /// - Throws: `ChargeCaptureConfigurationError` naming the offending key.
  public static func load(json: [UInt8]?) throws(ChargeCaptureConfigurationError)
    -> ChargeCaptureConfiguration
  {
    guard let json else { return .builtIn }
    do {
      return try JSONDecoder().decode(ChargeCaptureConfiguration.self, from: Data(json))
    } catch let error as DecodingError {
      throw ConfigurationDecodingFailure.describe(error)
    } catch {
      throw ChargeCaptureConfigurationError(path: "", message: "cannot be read: \(error)")
    }
  }

  /// The effective rules of `organizationId`.
  public func rules(for organizationId: String) -> BillingRules {
    BillingRules(organization: organizations[organizationId.lowercased()], defaults: defaults)
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case organizations
    case defaults
  }

  /// Decodes the file; unknown top-level keys and non-UUID organization keys are rejected.
  public init(from decoder: any Decoder) throws {
    let file = try ConfigurationKeys.decodeOrganizationFile(
      from: decoder, emptyDefaults: OrganizationBillingSettings())
    self.init(organizations: file.organizations, defaults: file.defaults)
  }

  /// Encodes the configuration in the file format.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(organizations, forKey: .organizations)
    try container.encode(defaults, forKey: .defaults)
  }
}
