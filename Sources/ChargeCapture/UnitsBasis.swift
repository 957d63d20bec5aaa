/// How the units of a code were obtained (`pm_charge_suggestions.units_basis`, for the primary code).
public enum UnitsBasis: String, Codable, Sendable, Equatable {
  /// Derived from `duration_minutes` with the code's time-based rule.
  case duration
  /// A time-based code without a duration: the rule's `min_units` (1 unless configured).
  case `default`
  /// A per-diem code: a flat number of units.
  case perDiem = "per_diem"
  /// Not a time-based code: 1 unit per service.
  case perService = "per_service"
}
