import ConsumerRuntime
import DomainEvents
import Foundation

/// One organization's escalation path for critical GR notifications when the event names no
/// supervisor: `{"escalation_profile_ids": ["<uuid>", …], "escalation_role": "clinical_supervisor"}`.
/// Both keys are optional; an absent key falls back to the file's `defaults`, then to the built-in
/// path (no profiles, role `site_clinical_lead`).
public struct EscalationPath: Codable, Sendable, Equatable {
  /// Profiles (pf_profiles.id) that receive the alert.
  public var escalationProfileIds: [String]?
  /// Role that receives the alert.
  public var escalationRole: String?

  /// Creates a path; `nil` means "not set here".
  public init(escalationProfileIds: [String]? = nil, escalationRole: String? = nil) {
    self.escalationProfileIds = escalationProfileIds
    self.escalationRole = escalationRole
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case escalationProfileIds = "escalation_profile_ids"
    case escalationRole = "escalation_role"
  }

  /// Decodes the object; unknown keys, non-UUID profile ids and an empty role are rejected.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    escalationProfileIds = try container.decodeIfPresent([String].self, forKey: .escalationProfileIds)
    escalationRole = try container.decodeIfPresent(String.self, forKey: .escalationRole)
    if let ids = escalationProfileIds, ids.contains(where: { !ContractFormat.isUUID($0) }) {
      throw DecodingError.dataCorruptedError(
        forKey: .escalationProfileIds, in: container, debugDescription: "every profile id must be a UUID")
    }
    if let role = escalationRole, role.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      throw DecodingError.dataCorruptedError(
        forKey: .escalationRole, in: container, debugDescription: "must not be empty")
    }
  }

  /// Encodes the path with the configuration's key names, omitting unset keys.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(escalationProfileIds, forKey: .escalationProfileIds)
    try container.encodeIfPresent(escalationRole, forKey: .escalationRole)
  }
}
