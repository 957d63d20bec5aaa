/// How a duration is turned into billing units for a time-based code (`rounding` in the
/// configuration's `time_based_codes`).
public enum UnitRounding: String, Codable, Sendable, Equatable, CaseIterable {
  /// Any started unit counts: `ceil(duration / minutes_per_unit)`.
  case up
  /// Half a unit or more counts (the midpoint rule): `floor((duration + minutes_per_unit / 2) / minutes_per_unit)`.
  case nearest
  /// Only completed units count: `floor(duration / minutes_per_unit)`.
  case down
}
