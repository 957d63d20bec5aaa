import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shows a replay's progress: a bar redrawn in place on a terminal, or a plain line every few
/// seconds otherwise. Counts only, never payloads.
struct ReplayProgressReporter {
  /// The resolved style: `.bar`, `.lines` or `.none`.
  let style: ReplayProgressStyle
  private let write: @Sendable (String) -> Void
  private let started: ContinuousClock.Instant
  private var lastShown: ContinuousClock.Instant?
  /// Expected number of messages, when the source knows it.
  var total: UInt64?

  /// How often the bar is redrawn.
  static let barInterval: Duration = .milliseconds(200)
  /// How often a progress line is written.
  static let lineInterval: Duration = .seconds(5)

  init(
    style: ReplayProgressStyle, write: @escaping @Sendable (String) -> Void,
    now: ContinuousClock.Instant = .now
  ) {
    self.style = Self.resolve(style)
    self.write = write
    self.started = now
  }

  /// `.automatic` becomes `.bar` when standard output is a terminal, else `.lines`.
  static func resolve(_ style: ReplayProgressStyle) -> ReplayProgressStyle {
    guard style == .automatic else { return style }
    return isatty(STDOUT_FILENO) != 0 ? .bar : .lines
  }

  /// Shows the counts if the style's interval has passed.
  mutating func update(_ counts: ReplayCounts, now: ContinuousClock.Instant = .now) {
    let interval: Duration
    switch style {
    case .bar: interval = Self.barInterval
    case .lines: interval = Self.lineInterval
    case .none, .automatic: return
    }
    if let lastShown, now - lastShown < interval { return }
    lastShown = now
    show(counts, now: now)
  }

  /// Shows the final counts (and ends the bar's line).
  mutating func finish(_ counts: ReplayCounts, now: ContinuousClock.Instant = .now) {
    switch style {
    case .bar:
      show(counts, now: now)
      write("\n")
    case .lines:
      show(counts, now: now)
    case .none, .automatic:
      break
    }
  }

  private mutating func show(_ counts: ReplayCounts, now: ContinuousClock.Instant) {
    let elapsed = now - started
    switch style {
    case .bar:
      write("\r" + Self.barLine(counts: counts, total: total, elapsed: elapsed) + "\u{1B}[K")
    case .lines:
      write(Self.plainLine(counts: counts, total: total, elapsed: elapsed) + "\n")
    case .none, .automatic:
      break
    }
  }

  /// `[#######.............]  35%  3500/10000  1200 msg/s  failed 0`
  static func barLine(counts: ReplayCounts, total: UInt64?, elapsed: Duration, width: Int = 24) -> String {
    let done = counts.settled
    let rate = Self.rate(done, elapsed)
    guard let total, total > 0 else {
      return "replay: \(done) messages  \(rate) msg/s  failed \(counts.failed)"
    }
    let fraction = min(Double(done) / Double(total), 1)
    let filled = Int((fraction * Double(width)).rounded(.down))
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let percent = Int((fraction * 100).rounded(.down))
    return
      "[\(bar)] \(String(format: "%3d", percent))%  \(done)/\(total)  \(rate) msg/s  failed \(counts.failed)"
  }

  /// `replay progress: read 3500/10000, published 3490, skipped 10, failed 0, 1200 msg/s`
  static func plainLine(counts: ReplayCounts, total: UInt64?, elapsed: Duration) -> String {
    let of = total.map { "/\($0)" } ?? ""
    let published = counts.published + counts.duplicates + counts.validated
    return "replay progress: read \(counts.read)\(of), published \(published), skipped \(counts.skipped), "
      + "failed \(counts.failed), \(Self.rate(counts.settled, elapsed)) msg/s"
  }

  private static func rate(_ count: Int, _ elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    guard seconds > 0.001 else { return 0 }
    return Int((Double(count) / seconds).rounded())
  }
}
