import Foundation

/// The string formats the contracts use, as strict parsers that never trap: UUIDs, ISO dates
/// (`YYYY-MM-DD`, a real calendar date) and RFC 3339 date-times (ISO 8601 with a required offset).
public enum ContractFormat {
  /// True for `8-4-4-4-12` hexadecimal digits, either case. Version bits are not checked, so the
  /// reserved `SystemActor.profileID` is a UUID too.
  public static func isUUID(_ text: String) -> Bool {
    if let result = text.utf8.withContiguousStorageIfAvailable(isUUID) { return result }
    return isUUID(text.utf8)
  }

  private static func isUUID(_ bytes: some Sequence<UInt8>) -> Bool {
    var index = 0
    for byte in bytes {
      switch index {
      case 8, 13, 18, 23:
        guard byte == UInt8(ascii: "-") else { return false }
      case 36:
        return false
      default:
        guard isHexDigit(byte) else { return false }
      }
      index += 1
    }
    return index == 36
  }

  /// Parses `YYYY-MM-DD` (a real calendar date) to midnight UTC; `nil` for anything else.
  public static func date(_ text: String) -> Date? {
    var scanner = ByteScanner(text)
    guard let civil = scanner.fullDate(), scanner.isAtEnd else { return nil }
    return Date(timeIntervalSince1970: Double(civil.epochDay) * 86_400)
  }

  /// Parses an RFC 3339 date-time (`2026-04-17T10:00:00Z`, `…:00.123+02:00`; `t`/`z` in either case);
  /// `nil` for anything else, including a missing offset or an impossible date.
  public static func dateTime(_ text: String) -> Date? {
    var scanner = ByteScanner(text)
    guard let civil = scanner.fullDate(), scanner.consume(oneOf: [UInt8(ascii: "T"), UInt8(ascii: "t")]),
      let hour = scanner.number(digits: 2), hour < 24, scanner.consume(UInt8(ascii: ":")),
      let minute = scanner.number(digits: 2), minute < 60, scanner.consume(UInt8(ascii: ":")),
      let second = scanner.number(digits: 2), second <= 60
    else { return nil }
    var fraction = 0.0
    if scanner.consume(UInt8(ascii: ".")) {
      guard let value = scanner.fraction() else { return nil }
      fraction = value
    }
    var offsetSeconds = 0
    if scanner.consume(oneOf: [UInt8(ascii: "Z"), UInt8(ascii: "z")]) {
      offsetSeconds = 0
    } else if let sign = scanner.take(oneOf: [UInt8(ascii: "+"), UInt8(ascii: "-")]) {
      guard let offsetHour = scanner.number(digits: 2), offsetHour < 24, scanner.consume(UInt8(ascii: ":")),
        let offsetMinute = scanner.number(digits: 2), offsetMinute < 60
      else { return nil }
      offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
    } else {
      return nil
    }
    guard scanner.isAtEnd else { return nil }
    let seconds = civil.epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }

  /// True when `text` is an ISO date or an RFC 3339 date-time (fields such as `due_date`).
  public static func isDateOrDateTime(_ text: String) -> Bool {
    date(text) != nil || dateTime(text) != nil
  }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
      UInt8(ascii: "A")...UInt8(ascii: "F"):
      return true
    default:
      return false
    }
  }
}

/// A calendar date in the proleptic Gregorian calendar.
private struct CivilDate {
  var year: Int
  var month: Int
  var day: Int

  /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
  var epochDay: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthIndex = (month + 9) % 12
    let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11:
      return 30
    default:
      return 31
    }
  }
}

/// A forward-only reader over the UTF-8 bytes of a string.
private struct ByteScanner {
  private let bytes: [UInt8]
  private var index = 0

  init(_ text: String) { bytes = Array(text.utf8) }

  var isAtEnd: Bool { index == bytes.count }

  mutating func consume(_ byte: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  mutating func consume(oneOf candidates: [UInt8]) -> Bool { take(oneOf: candidates) != nil }

  mutating func take(oneOf candidates: [UInt8]) -> UInt8? {
    guard index < bytes.count, candidates.contains(bytes[index]) else { return nil }
    index += 1
    return bytes[index - 1]
  }

  /// Exactly `digits` ASCII digits.
  mutating func number(digits: Int) -> Int? {
    guard bytes.count - index >= digits else { return nil }
    var value = 0
    for _ in 0..<digits {
      let byte = bytes[index]
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
      index += 1
    }
    return value
  }

  /// One or more digits after a decimal point, as a value in [0, 1).
  mutating func fraction() -> Double? {
    var value = 0.0
    var scale = 0.1
    var count = 0
    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
      value += Double(bytes[index] - UInt8(ascii: "0")) * scale
      scale /= 10
      count += 1
      index += 1
    }
    return count > 0 ? value : nil
  }

  /// `YYYY-MM-DD` with a day that exists in that month.
  mutating func fullDate() -> CivilDate? {
    guard let year = number(digits: 4), consume(UInt8(ascii: "-")), let month = number(digits: 2),
      (1...12).contains(month), consume(UInt8(ascii: "-")), let day = number(digits: 2),
      day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
    else { return nil }
    return CivilDate(year: year, month: month, day: day)
  }
}
