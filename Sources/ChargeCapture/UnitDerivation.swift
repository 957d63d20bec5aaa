/// Units of one billing code from the session duration (seed 003 Event 4 step 3).
public struct UnitDerivation: Sendable, Equatable {
  /// The billed units (≥ 1).
  public var units: Int
  /// How they were obtained.
  public var basis: UnitsBasis

  /// Creates a value.
  public init(units: Int, basis: UnitsBasis) {
    self.units = units
    self.basis = basis
  }

  /// Units of `code` for `durationMinutes` under `rules.timeBasedCodes`:
  /// - time-based code with a duration: `max(min_units, round(duration / minutes_per_unit))`
  ///   (S9484 90 min → 2; H2011 50 min → 4);
  /// - time-based code without a duration: `min_units`, basis `default`;
  /// - per-diem code: `min_units`; any other code: 1.
  public static func derive(code: String, durationMinutes: Int?, rules: BillingRules) -> UnitDerivation {
    guard let rule = rules.timeBasedCodes[BillingCode.normalized(code)] else {
      return UnitDerivation(units: 1, basis: .perService)
    }
    let floorUnits = max(rule.minUnits, 1)
    guard let perUnit = rule.minutesPerUnit, perUnit > 0 else {
      return UnitDerivation(units: floorUnits, basis: .perDiem)
    }
    guard let duration = durationMinutes else {
      return UnitDerivation(units: floorUnits, basis: .default)
    }
    let minutes = max(duration, 0)
    let whole = minutes / perUnit
    let remainder = minutes % perUnit
    let counted: Int
    switch rule.rounding {
    case .up: counted = whole + (remainder == 0 ? 0 : 1)
    case .down: counted = whole
    // Half a unit or more counts; written without `* 2` so no input can overflow.
    case .nearest: counted = whole + (remainder > 0 && remainder >= perUnit - perUnit / 2 ? 1 : 0)
    }
    return UnitDerivation(units: max(counted, floorUnits), basis: .duration)
  }
}
