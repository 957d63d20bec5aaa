/// How ``FleetLogHandler`` writes a log record: one JSON object per line, or one readable text line.
public enum LogFormat: String, Sendable, CaseIterable {
  /// One JSON object per line (`ts`, `level`, `msg`, `logger`, then the metadata flattened).
  case json
  /// One human-readable line: timestamp, level, label, message, then `key=value` metadata.
  case text
}
