import CloudEvents
import Foundation

/// The generator's clock: whole milliseconds since 1970, advanced by the generator only, so
/// every timestamp is a function of the start time and the seed. Renders RFC 3339 date-times
/// (`2026-04-17T10:00:00.000Z`) and ISO dates (`2026-04-17`) in UTC without a `DateFormatter`.
struct SimulatedClock: Sendable {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  private(set) var millis: Int64

  /// Starts at `start`, truncated to the millisecond (years 0000…9999; anything else starts at 1970).
  init(start: Date) {
    let scaled = (start.timeIntervalSince1970 * 1000).rounded(.down)
    if scaled.isFinite, scaled >= -62_167_219_200_000, scaled <= 253_402_300_799_000 {
      millis = Int64(scaled)
    } else {
      millis = 0
    }
  }

  /// Moves the clock forward by `delta` milliseconds (negative values are ignored).
  mutating func advance(by delta: Int64) {
    millis += max(delta, 0)
  }

  /// Moves the clock forward to `target` when it is later than now.
  mutating func advance(to target: Int64) {
    millis = max(millis, target)
  }

  /// The current instant.
  var date: Date { Self.date(millis) }

  /// The current instant as an RFC 3339 date-time with milliseconds.
  var dateTime: String { Self.dateTime(millis) }

  /// The current UTC date as `YYYY-MM-DD`.
  var day: String { Self.day(millis) }

  /// The instant `millis` as a `Date`.
  static func date(_ millis: Int64) -> Date {
    Date(timeIntervalSince1970: Double(millis) / 1000)
  }

  /// `millis` as an RFC 3339 date-time with milliseconds, UTC.
  static func dateTime(_ millis: Int64) -> String {
    CloudEventTimestamp(date: date(millis)).rfc3339
  }

  /// The UTC date of `millis` as `YYYY-MM-DD`.
  static func day(_ millis: Int64) -> String {
    String(dateTime(millis).prefix(10))
  }

  /// The UTC calendar date of `millis`.
  static func civil(_ millis: Int64) -> (year: Int, month: Int, day: Int) {
    let days = Int(floorDivide(millis, 86_400_000))
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// `YYYY-MM-DD` for a calendar date (no validation beyond zero padding).
  static func isoDate(year: Int, month: Int, day: Int) -> String {
    padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
  }

  /// Days in `month` of `year` (proleptic Gregorian).
  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
  }

  private static func padded(_ value: Int, _ width: Int) -> String {
    let text = String(abs(value))
    return (value < 0 ? "-" : "") + String(repeating: "0", count: max(width - text.count, 0)) + text
  }
}
