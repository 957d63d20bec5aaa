import CloudEvents
import Foundation

/// A point in a stream: a stream sequence or a time (stored time of the message).
public enum ReplayPosition: Sendable, Hashable, CustomStringConvertible {
  /// A stream sequence (1-based).
  case sequence(UInt64)
  /// An instant; messages stored at or after it (as a start), or up to it (as an end).
  case time(Date)

  /// Parses `--start` / `--end` text: decimal digits are a sequence, anything else must be an
  /// RFC 3339 timestamp (`2026-11-21T10:00:00Z`, offsets and fractions allowed).
  ///
  /// - Throws: `ReplayError(.invalidOptions)` naming the text; never traps.
  public static func parse(_ text: String) throws(ReplayError) -> ReplayPosition {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
      guard let value = UInt64(trimmed), value > 0 else {
        throw ReplayError(.invalidOptions, "stream sequence \"\(trimmed.prefix(40))\" must be 1 or more")
      }
      return .sequence(value)
    }
    guard let timestamp = CloudEventTimestamp(rfc3339: trimmed) else {
      throw ReplayError(
        .invalidOptions, "\"\(trimmed.prefix(60))\" is neither a stream sequence nor an RFC 3339 time")
    }
    return .time(timestamp.date)
  }

  /// The time as RFC 3339 text (what `opt_start_time` takes).
  static func rfc3339(_ date: Date) -> String { CloudEventTimestamp(date: date).rfc3339 }

  /// Nanoseconds since the Unix epoch (JetStream's stored-time unit), saturating.
  static func nanoseconds(_ date: Date) -> Int64 {
    let value = date.timeIntervalSince1970 * 1_000_000_000
    if value >= Double(Int64.max) { return Int64.max }
    if value <= Double(Int64.min) { return Int64.min }
    return Int64(value)
  }

  /// `seq 42` or `time 2026-11-21T10:00:00Z`.
  public var description: String {
    switch self {
    case .sequence(let value): return "seq \(value)"
    case .time(let date): return "time \(Self.rfc3339(date))"
    }
  }
}
