import Foundation

/// An RFC 3339 timestamp that keeps the original text (fractional seconds, offset) next to the
/// parsed `Date`, so an event re-encodes its `time` attribute exactly as it was received.
///
/// Two timestamps are equal when their texts are equal: `10:00:00Z` and `10:00:00.000Z` name the
/// same instant but are different timestamps. Compare `date` to compare instants.
public struct CloudEventTimestamp: Sendable, Hashable, CustomStringConvertible {
  /// The timestamp text exactly as given (or as rendered by `init(date:)`).
  public let rfc3339: String
  /// The instant the text denotes.
  public let date: Date

  /// Parses an RFC 3339 `date-time`: `YYYY-MM-DD` `T` `hh:mm:ss` [`.` fraction] (`Z` | `±hh:mm`).
  ///
  /// Accepts a lowercase `t` / `z`, any number of fraction digits and any offset up to ±23:59.
  /// Rejects everything else: a space instead of `T`, a missing offset, out-of-range fields
  /// (month 13, February 30, hour 24, second 60), missing leading zeros. Returns `nil` on
  /// rejection; never traps.
  public init?(rfc3339: String) {
    guard let date = Self.parse(Array(rfc3339.utf8)) else { return nil }
    self.rfc3339 = rfc3339
    self.date = date
  }

  /// Renders `date` as `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` in UTC (rounded to the millisecond).
  ///
  /// `date` of the result is the rendered instant, so a timestamp made here is equal to the one
  /// parsed back from its text. Dates outside years 0000…9999 are clamped to that range.
  public init(date: Date) {
    let seconds = date.timeIntervalSince1970
    let millis: Int64
    if seconds.isNaN {
      millis = 0
    } else {
      // Both bounds are exactly representable as Double, so the clamped value converts safely.
      let scaled = (seconds * 1000).rounded()
      millis = Int64(min(max(scaled, Double(Self.minimumMillis)), Double(Self.maximumMillis)))
    }
    let (wholeSeconds, fraction) = Self.floorDivide(millis, 1000)
    let (days, secondOfDay) = Self.floorDivide(wholeSeconds, 86_400)
    let civil = Self.civilFromDays(days)
    // Written digit by digit into the string's own storage: every ledger row and outbox row
    // carries such timestamps, and concatenating padded pieces cost ~10 allocations each.
    self.rfc3339 = String(unsafeUninitializedCapacity: 24) { text in
      func put(_ value: Int64, width: Int, at offset: Int) {
        var rest = value
        for index in stride(from: offset + width - 1, through: offset, by: -1) {
          text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
          rest /= 10
        }
      }
      put(civil.year, width: 4, at: 0)
      text[4] = UInt8(ascii: "-")
      put(civil.month, width: 2, at: 5)
      text[7] = UInt8(ascii: "-")
      put(civil.day, width: 2, at: 8)
      text[10] = UInt8(ascii: "T")
      put(secondOfDay / 3600, width: 2, at: 11)
      text[13] = UInt8(ascii: ":")
      put(secondOfDay % 3600 / 60, width: 2, at: 14)
      text[16] = UInt8(ascii: ":")
      put(secondOfDay % 60, width: 2, at: 17)
      text[19] = UInt8(ascii: ".")
      put(fraction, width: 3, at: 20)
      text[23] = UInt8(ascii: "Z")
      return 24
    }
    self.date = Self.makeDate(epochSeconds: wholeSeconds, fraction: fraction, fractionDigits: 3)
  }

  /// The RFC 3339 text.
  public var description: String { rfc3339 }

  // MARK: - Parsing

  /// 0000-01-01T00:00:00.000Z in milliseconds since 1970.
  static let minimumMillis: Int64 = -62_167_219_200_000
  /// 9999-12-31T23:59:59.999Z in milliseconds since 1970.
  static let maximumMillis: Int64 = 253_402_300_799_999

  static func parse(_ bytes: [UInt8]) -> Date? {
    // Fixed part: YYYY-MM-DDThh:mm:ss (19 bytes), then fraction and offset.
    guard bytes.count >= 20 else { return nil }
    guard let year = digits(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
      let month = digits(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
      let day = digits(bytes, 8, 2),
      bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
      let hour = digits(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
      let minute = digits(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
      let second = digits(bytes, 17, 2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
      hour <= 23, minute <= 59, second <= 59
    else { return nil }

    var index = 19
    var fraction: Int64 = 0
    var fractionDigits = 0
    if bytes[index] == UInt8(ascii: ".") {
      index += 1
      let start = index
      while index < bytes.count, isDigit(bytes[index]) {
        // Keep nine digits (nanoseconds) for the Date; further digits only stay in the text.
        if fractionDigits < 9 {
          fraction = fraction * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
          fractionDigits += 1
        }
        index += 1
      }
      guard index > start else { return nil }
    }

    guard index < bytes.count else { return nil }
    var offsetSeconds: Int64 = 0
    switch bytes[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      index += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      guard index + 6 == bytes.count, let offsetHour = digits(bytes, index + 1, 2),
        bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = digits(bytes, index + 4, 2),
        offsetHour <= 23, offsetMinute <= 59
      else { return nil }
      offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
      index += 6
    default:
      return nil
    }
    guard index == bytes.count else { return nil }

    let days = daysFromCivil(year: year, month: month, day: day)
    let local = days * 86_400 + hour * 3600 + minute * 60 + second
    return makeDate(epochSeconds: local - offsetSeconds, fraction: fraction, fractionDigits: fractionDigits)
  }

  /// The one place a `Date` is built, so parsed and rendered timestamps agree bit for bit.
  static func makeDate(epochSeconds: Int64, fraction: Int64, fractionDigits: Int) -> Date {
    var scale: Double = 1
    for _ in 0..<fractionDigits { scale *= 10 }
    return Date(timeIntervalSince1970: Double(epochSeconds) + Double(fraction) / scale)
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// `count` ASCII digits at `start` as a number, or `nil` when any of them is not a digit.
  private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
    guard start >= 0, start + count <= bytes.count else { return nil }
    var value: Int64 = 0
    for byte in bytes[start..<(start + count)] {
      guard isDigit(byte) else { return nil }
      value = value * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    return value
  }

  private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The inverse of `daysFromCivil`.
  static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
    var quotient = value / divisor
    var remainder = value % divisor
    if remainder < 0 {
      quotient -= 1
      remainder += divisor
    }
    return (quotient, remainder)
  }
}
