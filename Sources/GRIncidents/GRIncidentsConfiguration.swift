import ConsumerRuntime
import DomainEvents
import Foundation

/// The gr-incidents configuration (the CONFIG_FILE JSON): where critical alerts go when an event
/// names no supervisor.
///
/// ```json
/// {"organizations": {"<org uuid>": {"escalation_profile_ids": ["<uuid>"], "escalation_role": "clinical_supervisor"}},
///  "defaults": {"escalation_role": "site_clinical_lead"}}
/// ```
public struct GRIncidentsConfiguration: Codable, Sendable, Equatable {
  /// Escalation paths per organization id (lowercased UUID).
  public var organizations: [String: EscalationPath]
  /// The path for keys an organization does not set, and for organizations not listed.
  public var defaults: EscalationPath

  /// Role alerted when neither the organization nor the defaults name one.
  public static let defaultEscalationRole = "site_clinical_lead"

  /// Creates a configuration; organization keys are lowercased.
  public init(organizations: [String: EscalationPath] = [:], defaults: EscalationPath = .init()) {
    var normalized: [String: EscalationPath] = [:]
    for (key, value) in organizations { normalized[key.lowercased()] = value }
    self.organizations = normalized
    self.defaults = defaults
  }

  /// The built-in configuration: every organization escalates to the role `site_clinical_lead`.
  public static let builtIn = GRIncidentsConfiguration()

  /// Parses the CONFIG_FILE bytes; `nil` (no file) gives `builtIn`.
  /// - Throws: `GRIncidentsConfigurationError` naming the offending key.
  public static func load(json: [UInt8]?) throws(GRIncidentsConfigurationError) -> GRIncidentsConfiguration {
    guard let json else { return .builtIn }
    do {
      return try JSONDecoder().decode(GRIncidentsConfiguration.self, from: Data(json))
    } catch let error as DecodingError {
      throw describe(error)
    } catch {
      throw GRIncidentsConfigurationError(path: "", message: "cannot be read: \(error)")
    }
  }

  /// Recipients of a critical alert: the supervisor when the event names one; otherwise the
  /// organization's escalation path, i.e. every configured escalation profile plus the escalation
  /// role (configured, else `site_clinical_lead`).
  public func recipients(organizationId: String, supervisorId: String?) -> [NotificationRecipient] {
    if let supervisorId, !supervisorId.isEmpty { return [.profile(supervisorId)] }
    let layers = [organizations[organizationId.lowercased()], defaults].compactMap { $0 }
    let profiles = layers.lazy.compactMap(\.escalationProfileIds).first ?? []
    let role = layers.lazy.compactMap(\.escalationRole).first ?? Self.defaultEscalationRole
    var recipients: [NotificationRecipient] = []
    for profile in profiles.map(NotificationRecipient.profile) where !recipients.contains(profile) {
      recipients.append(profile)
    }
    recipients.append(.role(role))
    return recipients
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case organizations
    case defaults
  }

  /// Decodes the file; unknown top-level keys and non-UUID organization keys are rejected.
  public init(from decoder: any Decoder) throws {
    let file = try ConfigurationKeys.decodeOrganizationFile(from: decoder, emptyDefaults: EscalationPath())
    self.init(organizations: file.organizations, defaults: file.defaults)
  }

  /// Encodes the configuration in the file format.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(organizations, forKey: .organizations)
    try container.encode(defaults, forKey: .defaults)
  }

  private static func describe(_ error: DecodingError) -> GRIncidentsConfigurationError {
    switch error {
    case .typeMismatch(_, let context):
      return GRIncidentsConfigurationError(
        path: ConfigurationKeys.path(context.codingPath), message: "has the wrong type")
    case .valueNotFound(_, let context):
      return GRIncidentsConfigurationError(
        path: ConfigurationKeys.path(context.codingPath), message: "must not be null")
    case .keyNotFound(let key, let context):
      return GRIncidentsConfigurationError(
        path: ConfigurationKeys.path(context.codingPath + [key]), message: "is required")
    case .dataCorrupted(let context):
      let message = context.codingPath.isEmpty ? "is not valid JSON" : context.debugDescription
      return GRIncidentsConfigurationError(path: ConfigurationKeys.path(context.codingPath), message: message)
    @unknown default:
      return GRIncidentsConfigurationError(path: "", message: "cannot be decoded")
    }
  }
}
