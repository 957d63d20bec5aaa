import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2026-04-17T10:00:00.123Z`), as stored in the ledger
/// and the outbox.
public enum ISOTime {
  private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  /// Formats a date.
  public static func string(_ date: Date) -> String {
    style.format(date)
  }
}
