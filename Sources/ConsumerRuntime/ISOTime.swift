import CloudEvents
import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2026-04-17T10:00:00.123Z`), as stored in the ledger,
/// the outbox and the services' own tables, so every time column sorts chronologically as text.
public enum ISOTime {
  /// Formats a date, rounded to the millisecond (years clamped to 0000…9999).
  ///
  /// The same text as Foundation's `ISO8601FormatStyle` with fractional seconds, written without
  /// a calendar: every event's ledger row needs one, and the format style was ~1 % of a service's
  /// CPU.
  public static func string(_ date: Date) -> String {
    CloudEventTimestamp(date: date).rfc3339
  }
}
