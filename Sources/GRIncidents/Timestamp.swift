import CloudEvents
import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2026-04-17T10:00:00.123Z`), the format of the
/// ledger and outbox, so every time column sorts chronologically as text.
enum Timestamp {
  /// The UTC text of `date` (clamped to years 0000…9999, never traps).
  static func string(_ date: Date) -> String {
    CloudEventTimestamp(date: date).rfc3339
  }
}
