import ConsumerRuntime
import Foundation

/// The lead-reconciliation service configuration.
///
/// ```json
/// {"pending_registration_retention_days": 90}
/// ```
/// `pending_registration_retention_days`: how long a `REGISTRATION.patient.created` whose
/// correlation id matches no conversion yet is kept in `ce_pending_patient_registrations` waiting
/// for its conversion event (most registrations never came from a lead, so the table is pruned).
/// Every key is optional; unknown keys are rejected.
public struct LeadReconciliationConfiguration: Codable, Sendable, Equatable {
  /// Days an unmatched patient registration waits for its conversion (at least 1).
  public var pendingRegistrationRetentionDays: Int

  /// 90 days of pending registrations.
  public static let defaults = LeadReconciliationConfiguration()

  /// Creates a configuration.
  public init(pendingRegistrationRetentionDays: Int = 90) {
    self.pendingRegistrationRetentionDays = pendingRegistrationRetentionDays
  }

  /// Parses a configuration file; `nil` gives `defaults`. Throws
  /// `LeadReconciliationConfigurationError` for malformed JSON, unknown keys or invalid values.
  public static func load(json: [UInt8]?) throws -> LeadReconciliationConfiguration {
    guard let json else { return .defaults }
    let configuration: LeadReconciliationConfiguration
    do {
      configuration = try JSONDecoder().decode(LeadReconciliationConfiguration.self, from: Data(json))
    } catch {
      throw LeadReconciliationConfigurationError(
        message: "configuration is not valid",
        underlying: LeadReconciliationConfigurationError.describe(error))
    }
    guard configuration.pendingRegistrationRetentionDays >= 1 else {
      throw LeadReconciliationConfigurationError(
        message: "configuration is not valid",
        underlying: "pending_registration_retention_days must be at least 1")
    }
    return configuration
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case pendingRegistrationRetentionDays = "pending_registration_retention_days"
  }

  /// Decodes the configuration object; every key is optional, unknown keys are rejected.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      pendingRegistrationRetentionDays: try container.decodeIfPresent(
        Int.self, forKey: .pendingRegistrationRetentionDays) ?? 90)
  }

  /// Encodes the same shape it decodes.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(pendingRegistrationRetentionDays, forKey: .pendingRegistrationRetentionDays)
  }
}
