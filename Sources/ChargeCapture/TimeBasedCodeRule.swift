import ConsumerRuntime

/// How many units one billing code is worth (an entry of `time_based_codes` in the configuration):
///
/// - with `minutes_per_unit`: units come from the duration, `max(min_units, round(duration / minutes_per_unit))`
///   with the configured rounding (S9484 per hour, H2011 per 15 minutes);
/// - without it: a flat `min_units` per service (S9485 per diem).
public struct TimeBasedCodeRule: Codable, Sendable, Equatable {
  /// Minutes per billing unit; `nil` for a per-diem (flat) code.
  public var minutesPerUnit: Int?
  /// Rounding of a partial unit (default `up`).
  public var rounding: UnitRounding
  /// Lower bound of the units, and the units billed when the duration is unknown (default 1).
  public var minUnits: Int

  /// Creates a rule.
  public init(minutesPerUnit: Int?, rounding: UnitRounding = .up, minUnits: Int = 1) {
    self.minutesPerUnit = minutesPerUnit
    self.rounding = rounding
    self.minUnits = minUnits
  }

  /// A per-diem (flat) rule: `units` per service whatever the duration.
  public static func perDiem(units: Int = 1) -> TimeBasedCodeRule {
    TimeBasedCodeRule(minutesPerUnit: nil, rounding: .up, minUnits: units)
  }

  /// The built-in table: S9484 per hour (round up), H2011 per 15 minutes (round up), S9485 per diem.
  public static let defaultTable: [String: TimeBasedCodeRule] = [
    "S9484": TimeBasedCodeRule(minutesPerUnit: 60, rounding: .up, minUnits: 1),
    "H2011": TimeBasedCodeRule(minutesPerUnit: 15, rounding: .up, minUnits: 1),
    "S9485": .perDiem(units: 1),
  ]

  enum CodingKeys: String, CodingKey, CaseIterable {
    case minutesPerUnit = "minutes_per_unit"
    case rounding
    case minUnits = "min_units"
  }

  /// Decodes `{"minutes_per_unit": N, "rounding": "up"|"nearest"|"down", "min_units": 1}`; every
  /// key is optional, unknown keys are rejected, `minutes_per_unit` must be > 0 and `min_units` ≥ 1.
  public init(from decoder: any Decoder) throws {
    try ConfigurationKeys.rejectUnknown(in: decoder, allowed: CodingKeys.allCases.map(\.rawValue))
    let container = try decoder.container(keyedBy: CodingKeys.self)
    minutesPerUnit = try container.decodeIfPresent(Int.self, forKey: .minutesPerUnit)
    rounding = try container.decodeIfPresent(UnitRounding.self, forKey: .rounding) ?? .up
    minUnits = try container.decodeIfPresent(Int.self, forKey: .minUnits) ?? 1
    if let minutes = minutesPerUnit, minutes <= 0 {
      throw DecodingError.dataCorruptedError(
        forKey: .minutesPerUnit, in: container, debugDescription: "must be greater than 0")
    }
    if minUnits < 1 {
      throw DecodingError.dataCorruptedError(
        forKey: .minUnits, in: container, debugDescription: "must be at least 1")
    }
  }

  /// Encodes the rule with the configuration's key names.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(minutesPerUnit, forKey: .minutesPerUnit)
    try container.encode(rounding, forKey: .rounding)
    try container.encode(minUnits, forKey: .minUnits)
  }
}
