import Logging
import Synchronization

/// Captures log lines (level, message text and metadata) from the in-process services and
/// whatever else a test logs through `handler()`, so tests can assert on what was logged.
public final class LogCapture: Sendable {
  private let lines = Mutex<[String]>([])

  public init() {}

  /// A handler that appends every line it logs here (it passes every level; the logger filters).
  public func handler() -> any LogHandler { CaptureHandler(capture: self) }

  /// Every line captured so far, oldest first.
  public var all: [String] { lines.withLock { $0 } }

  struct CaptureHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
      let line = "\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })"
      capture.lines.withLock { $0.append(line) }
    }
  }
}
