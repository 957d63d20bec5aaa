/// How a replay shows its progress.
public enum ReplayProgressStyle: Sendable, Hashable {
  /// A bar when standard output is a terminal (`isatty`), periodic lines otherwise.
  case automatic
  /// A one-line bar redrawn in place (`\r`).
  case bar
  /// A plain line every few seconds (logs, CI).
  case lines
  /// Nothing (tests, JSON output).
  case none
}
