/// The effective PM-07 rules for one organization: its settings, then the configuration's
/// `defaults`, then the built-in defaults, resolved key by key.
public struct BillingRules: Sendable, Equatable {
  /// Suggestions may be posted to `pm_charges` without review.
  public var autoPostEnabled: Bool
  /// High-risk codes may be auto-posted too (seed 003: default false).
  public var autoPostHighRiskCodes: Bool
  /// The high-risk list in effect (normalized codes): the organization's non-empty list, else the
  /// defaults' non-empty list, else `HighRiskCodeGuard.defaultCodes`.
  public var highRiskCodes: Set<String>
  /// Unit rules by normalized code: the built-in table, overridden or extended by the defaults'
  /// table, then by the organization's.
  public var timeBasedCodes: [String: TimeBasedCodeRule]

  /// Creates rules directly (tests, tools).
  public init(
    autoPostEnabled: Bool = false, autoPostHighRiskCodes: Bool = false,
    highRiskCodes: Set<String> = Set(HighRiskCodeGuard.defaultCodes),
    timeBasedCodes: [String: TimeBasedCodeRule] = TimeBasedCodeRule.defaultTable
  ) {
    self.autoPostEnabled = autoPostEnabled
    self.autoPostHighRiskCodes = autoPostHighRiskCodes
    self.highRiskCodes = Set(highRiskCodes.map(BillingCode.normalized))
    var table: [String: TimeBasedCodeRule] = [:]
    for (code, rule) in timeBasedCodes { table[BillingCode.normalized(code)] = rule }
    self.timeBasedCodes = table
  }

  /// Resolves `organization` over `defaults` over the built-in defaults.
  public init(organization: OrganizationBillingSettings?, defaults: OrganizationBillingSettings) {
    let layers = [organization, defaults].compactMap { $0 }
    let list = layers.lazy.compactMap(\.autoPostHighRiskCodesList).first { !$0.isEmpty }
    var table = TimeBasedCodeRule.defaultTable
    for layer in layers.reversed() {
      for (code, rule) in layer.timeBasedCodes ?? [:] { table[BillingCode.normalized(code)] = rule }
    }
    self.init(
      autoPostEnabled: layers.lazy.compactMap(\.autoPostEnabled).first ?? false,
      autoPostHighRiskCodes: layers.lazy.compactMap(\.autoPostHighRiskCodes).first ?? false,
      highRiskCodes: Set(list ?? HighRiskCodeGuard.defaultCodes), timeBasedCodes: table)
  }
}
