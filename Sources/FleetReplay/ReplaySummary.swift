import Foundation

/// The outcome of one replay run (this run's counts; the checkpoint keeps the totals).
public struct ReplaySummary: Sendable, Hashable, CustomStringConvertible {
  /// How the run ended.
  public enum Ending: String, Sendable, Hashable {
    /// The source was read to its end (or to the range's end).
    case complete
    /// Stopped after `maxMessages`; resume with the checkpoint.
    case stoppedAtLimit
    /// Cancelled (e.g. Ctrl-C); resume with the checkpoint.
    case cancelled
    /// The checkpoint already recorded a complete run: nothing was read.
    case alreadyComplete
  }

  /// The run id (`Nats-Msg-Id = replay:<run id>:<event id>`).
  public var runID: String
  /// What was read.
  public var source: String
  /// Where it went.
  public var target: String
  /// Whether nothing was published on purpose.
  public var dryRun: Bool
  /// Whether this run continued a checkpoint.
  public var resumed: Bool
  /// How the run ended.
  public var ending: Ending
  /// This run's counts.
  public var counts: ReplayCounts
  /// The last completed source position (stream sequence or file line), if any.
  public var lastPosition: UInt64?
  /// `seq` or `line`.
  public var unit: String
  /// Skipped and failed messages (the first 100 of each kind).
  public var issues: [ReplayIssue]
  /// Warnings shown before the run (e.g. the fan-out of publishing to original subjects).
  public var warnings: [String]
  /// Wall time of the run.
  public var elapsed: Duration

  /// Creates a summary.
  public init(
    runID: String, source: String, target: String, dryRun: Bool, resumed: Bool, ending: Ending,
    counts: ReplayCounts, lastPosition: UInt64?, unit: String, issues: [ReplayIssue], warnings: [String],
    elapsed: Duration
  ) {
    self.runID = runID
    self.source = source
    self.target = target
    self.dryRun = dryRun
    self.resumed = resumed
    self.ending = ending
    self.counts = counts
    self.lastPosition = lastPosition
    self.unit = unit
    self.issues = issues
    self.warnings = warnings
    self.elapsed = elapsed
  }

  /// Whether the CLI should exit 0: nothing failed.
  public var succeeded: Bool { counts.failed == 0 }

  /// The CLI's exit status: 0, or 1 when any message failed.
  public var exitCode: Int32 { succeeded ? 0 : 1 }

  /// The closing summary for people, several lines, no trailing newline.
  public var description: String {
    var lines: [String] = []
    let mode = dryRun ? " (dry run)" : ""
    lines.append("replay \(runID)\(mode): \(source) → \(target)")
    let c = counts
    var published = dryRun ? "validated \(c.validated)" : "published \(c.published)"
    if c.duplicates > 0 { published += " (+\(c.duplicates) already in the stream)" }
    lines.append(
      "read \(c.read), \(published), skipped \(c.skipped) (\(c.skippedFiltered) filtered, \(c.skippedInvalid) invalid), "
        + "failed \(c.failed)")
    let position = lastPosition.map { "\(unit) \($0)" } ?? "none"
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = seconds > 0 ? Double(c.read) / seconds : 0
    lines.append(
      "ended: \(Self.describe(ending))\(resumed ? " (resumed)" : ""); last completed position: \(position); "
        + String(format: "%.1f s, %.0f msg/s", seconds, rate))
    for warning in warnings { lines.append("warning: \(warning)") }
    for issue in issues { lines.append("  \(issue)") }
    return lines.joined(separator: "\n")
  }

  private static func describe(_ ending: Ending) -> String {
    switch ending {
    case .complete: return "complete"
    case .stoppedAtLimit: return "stopped at the message limit, resume with --resume"
    case .cancelled: return "cancelled, resume with --resume"
    case .alreadyComplete: return "the checkpoint records a complete run, nothing to do"
    }
  }
}
