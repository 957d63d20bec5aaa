import ConsumerRuntime

/// One organization's PM-07 settings as written in the configuration file (the
/// `pm_module_settings` columns of seed 003). Every key is optional: an absent key falls back to
/// the file's `defaults`, then to the built-in default.
public struct OrganizationBillingSettings: Codable, Sendable, Equatable {
  /// `auto_post_enabled`: suggestions may be posted to `pm_charges` without review (built-in: false).
  public var autoPostEnabled: Bool?
  /// `auto_post_high_risk_codes`: high-risk codes may be auto-posted too (built-in: false, seed 003).
  public var autoPostHighRiskCodes: Bool?
  /// `auto_post_high_risk_codes_list`: replaces the default high-risk list when non-empty; an empty
  /// array means "use the default list".
  public var autoPostHighRiskCodesList: [String]?
  /// `time_based_codes`: per-code unit rules that override or extend the built-in table.
  public var timeBasedCodes: [String: TimeBasedCodeRule]?

  /// Creates settings; `nil` means "not set here".
  public init(
    autoPostEnabled: Bool? = nil, autoPostHighRiskCodes: Bool? = nil,
    autoPostHighRiskCodesList: [String]? = nil,
    timeBasedCodes: [String: TimeBasedCodeRule]? = nil
  ) {
    self.autoPostEnabled = autoPostEnabled
    self.autoPostHighRiskCodes = autoPostHighRiskCodes
    self.autoPostHighRiskCodesList = autoPostHighRiskCodesList
    self.timeBasedCodes = timeBasedCodes
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case autoPostEnabled = "auto_post_enabled"
    case autoPostHighRiskCodes = "auto_post_high_risk_codes"
    case autoPostHighRiskCodesList = "auto_post_high_risk_codes_list"
    case timeBasedCodes = "time_based_codes"
  }

  /// Decodes the settings object; unknown keys and empty codes are rejected.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    autoPostEnabled = try container.decodeIfPresent(Bool.self, forKey: .autoPostEnabled)
    autoPostHighRiskCodes = try container.decodeIfPresent(Bool.self, forKey: .autoPostHighRiskCodes)
    autoPostHighRiskCodesList = try container.decodeIfPresent(
      [String].self, forKey: .autoPostHighRiskCodesList)
    timeBasedCodes = try container.decodeIfPresent([String: TimeBasedCodeRule].self, forKey: .timeBasedCodes)
    if let codes = autoPostHighRiskCodesList, codes.contains(where: { BillingCode.normalized($0).isEmpty }) {
      throw DecodingError.dataCorruptedError(
        forKey: .autoPostHighRiskCodesList, in: container, debugDescription: "codes must not be empty")
    }
    if let table = timeBasedCodes, table.keys.contains(where: { BillingCode.normalized($0).isEmpty }) {
      throw DecodingError.dataCorruptedError(
        forKey: .timeBasedCodes, in: container, debugDescription: "codes must not be empty")
    }
  }

  /// Encodes the settings with the configuration's key names, omitting unset keys.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(autoPostEnabled, forKey: .autoPostEnabled)
    try container.encodeIfPresent(autoPostHighRiskCodes, forKey: .autoPostHighRiskCodes)
    try container.encodeIfPresent(autoPostHighRiskCodesList, forKey: .autoPostHighRiskCodesList)
    try container.encodeIfPresent(timeBasedCodes, forKey: .timeBasedCodes)
  }
}
