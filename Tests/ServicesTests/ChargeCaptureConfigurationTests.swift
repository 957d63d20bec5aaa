import ChargeCapture
import XCTest

/// Configuration loading, the high-risk guard and unit derivation as pure functions.
final class ChargeCaptureConfigurationTests: XCTestCase {
  private let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"

  // MARK: - load(json:)

  func testNoFileGivesTheBuiltInRules() throws {
    let configuration = try ChargeCaptureConfiguration.load(json: nil)
    XCTAssertEqual(configuration, .builtIn)
    let rules = configuration.rules(for: organization)
    XCTAssertFalse(rules.autoPostEnabled)
    XCTAssertFalse(rules.autoPostHighRiskCodes)
    XCTAssertEqual(
      rules.highRiskCodes, ["90839", "90840", "90785", "H0038", "H2035", "H0004", "T1017", "96127"])
    XCTAssertEqual(
      rules.timeBasedCodes["S9484"], TimeBasedCodeRule(minutesPerUnit: 60, rounding: .up, minUnits: 1))
    XCTAssertEqual(
      rules.timeBasedCodes["H2011"], TimeBasedCodeRule(minutesPerUnit: 15, rounding: .up, minUnits: 1))
    XCTAssertEqual(rules.timeBasedCodes["S9485"], .perDiem(units: 1))
  }

  func testTheDocumentedExampleLoadsAndResolvesPerOrganization() throws {
    let json = """
      {"defaults": {"auto_post_enabled": false, "auto_post_high_risk_codes_list": ["90839"]},
       "organizations": {"\(organization.uppercased())": {"auto_post_enabled": true, "auto_post_high_risk_codes": false,
         "auto_post_high_risk_codes_list": [], "time_based_codes": {"h0004": {"minutes_per_unit": 15, "rounding": "nearest"}}}}}
      """
    let configuration = try ChargeCaptureConfiguration.load(json: Array(json.utf8))
    let rules = configuration.rules(for: organization)
    XCTAssertTrue(rules.autoPostEnabled)
    XCTAssertEqual(rules.highRiskCodes, ["90839"], "an empty org list falls back to the defaults' list")
    XCTAssertEqual(
      rules.timeBasedCodes["H0004"], TimeBasedCodeRule(minutesPerUnit: 15, rounding: .nearest, minUnits: 1))
    XCTAssertNotNil(rules.timeBasedCodes["S9484"], "the built-in table is extended, not replaced")

    let other = configuration.rules(for: "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9")
    XCTAssertFalse(other.autoPostEnabled)
    XCTAssertEqual(other.highRiskCodes, ["90839"])
    XCTAssertNil(other.timeBasedCodes["H0004"])
  }

  func testLoadErrorsNameTheKey() {
    let cases: [(json: String, path: String)] = [
      (#"{"organisations": {}}"#, "organisations"),
      (#"{"defaults": {"auto_post_enable": true}}"#, "defaults.auto_post_enable"),
      (#"{"defaults": {"auto_post_enabled": "yes"}}"#, "defaults.auto_post_enabled"),
      (#"{"organizations": {"acme": {}}}"#, "organizations.acme"),
      (
        #"{"defaults": {"time_based_codes": {"S9484": {"minutes_per_unit": 0}}}}"#,
        "defaults.time_based_codes.S9484.minutes_per_unit"
      ),
      (
        #"{"defaults": {"time_based_codes": {"S9484": {"rounding": "sideways"}}}}"#,
        "defaults.time_based_codes.S9484.rounding"
      ),
      (
        #"{"defaults": {"time_based_codes": {"S9484": {"min_units": 0}}}}"#,
        "defaults.time_based_codes.S9484.min_units"
      ),
      (
        #"{"defaults": {"auto_post_high_risk_codes_list": [" "]}}"#, "defaults.auto_post_high_risk_codes_list"
      ),
      (#"{"defaults": "#, ""),
    ]
    for (json, path) in cases {
      XCTAssertThrowsError(try ChargeCaptureConfiguration.load(json: Array(json.utf8)), json) { error in
        guard let error = error as? ChargeCaptureConfigurationError else { return XCTFail("\(error)") }
        XCTAssertEqual(error.path, path, json)
        XCTAssertFalse(error.message.isEmpty, json)
        XCTAssertTrue(error.description.hasPrefix("charge-capture configuration: "))
      }
    }
  }

  func testConfigurationRoundTripsThroughItsFileFormat() throws {
    let configuration = ChargeCaptureConfiguration(
      organizations: [
        organization: OrganizationBillingSettings(
          autoPostEnabled: true, autoPostHighRiskCodesList: ["90791"],
          timeBasedCodes: ["H2011": TimeBasedCodeRule(minutesPerUnit: 15, rounding: .down, minUnits: 2)])
      ], defaults: OrganizationBillingSettings(autoPostHighRiskCodes: true))
    let bytes = try JSONEncoder().encode(configuration)
    XCTAssertEqual(try ChargeCaptureConfiguration.load(json: Array(bytes)), configuration)
  }

  // MARK: - HighRiskCodeGuard

  func testGuardDecisionTable() {
    let codes = ["90837", "90785"]
    let table:
      [(enabled: Bool, allowHighRisk: Bool, codes: [String], autoPost: Bool, reasons: [ManualReviewReason])] =
        [
          (false, false, ["90837"], false, [.autoPostDisabled]),
          (false, true, codes, false, [.autoPostDisabled]),
          (true, false, ["90837"], true, []),
          (true, false, codes, false, [.highRiskCodes]),
          (true, true, codes, true, []),
        ]
    for (index, row) in table.enumerated() {
      let decision = HighRiskCodeGuard.evaluate(
        billingCodes: row.codes,
        rules: BillingRules(autoPostEnabled: row.enabled, autoPostHighRiskCodes: row.allowHighRisk))
      XCTAssertEqual(decision.autoPost, row.autoPost, "row \(index)")
      XCTAssertEqual(decision.reviewReasons, row.reasons, "row \(index)")
      XCTAssertEqual(decision.status, row.autoPost ? "auto_posted" : "pending_review", "row \(index)")
    }
  }

  func testGuardNormalizesCodesAndReportsEachHitOnce() {
    let decision = HighRiskCodeGuard.evaluate(
      billingCodes: [" h0004", "H0004", "t1017 ", "90837"], rules: BillingRules(autoPostEnabled: true))
    XCTAssertEqual(decision.highRiskCodes, ["H0004", "T1017"])
    XCTAssertEqual(decision.notificationSeverity, "warning")
    XCTAssertFalse(decision.autoPost)
  }

  // MARK: - UnitDerivation

  func testUnitsForEveryRounding() {
    let rules = BillingRules(timeBasedCodes: [
      "UP": TimeBasedCodeRule(minutesPerUnit: 15, rounding: .up),
      "NEAR": TimeBasedCodeRule(minutesPerUnit: 15, rounding: .nearest),
      "DOWN": TimeBasedCodeRule(minutesPerUnit: 15, rounding: .down),
      "MIN3": TimeBasedCodeRule(minutesPerUnit: 60, rounding: .up, minUnits: 3),
      "DIEM": .perDiem(units: 1),
    ])
    let cases: [(code: String, minutes: Int?, units: Int, basis: UnitsBasis)] = [
      ("UP", 1, 1, .duration), ("UP", 15, 1, .duration), ("UP", 16, 2, .duration), ("UP", 0, 1, .duration),
      ("NEAR", 7, 1, .duration), ("NEAR", 8, 1, .duration), ("NEAR", 22, 1, .duration),
      ("NEAR", 23, 2, .duration),
      ("DOWN", 29, 1, .duration), ("DOWN", 30, 2, .duration), ("DOWN", 5, 1, .duration),
      ("MIN3", 61, 3, .duration), ("MIN3", 240, 4, .duration), ("MIN3", nil, 3, .default),
      ("DIEM", 600, 1, .perDiem), ("DIEM", nil, 1, .perDiem),
      ("90837", 53, 1, .perService), ("up", 31, 3, .duration),
    ]
    for (code, minutes, units, basis) in cases {
      let derived = UnitDerivation.derive(code: code, durationMinutes: minutes, rules: rules)
      XCTAssertEqual(
        derived, UnitDerivation(units: units, basis: basis), "\(code) \(String(describing: minutes))")
    }
  }

  func testExtremeDurationsNeverTrap() {
    let rules = BillingRules(timeBasedCodes: [
      "A": TimeBasedCodeRule(minutesPerUnit: 15, rounding: .nearest),
      "B": TimeBasedCodeRule(minutesPerUnit: Int.max, rounding: .nearest),
    ])
    XCTAssertEqual(
      UnitDerivation.derive(code: "A", durationMinutes: Int.max, rules: rules).units, Int.max / 15)
    XCTAssertEqual(UnitDerivation.derive(code: "B", durationMinutes: Int.max - 1, rules: rules).units, 1)
    XCTAssertEqual(UnitDerivation.derive(code: "A", durationMinutes: -5, rules: rules).units, 1)
  }
}
