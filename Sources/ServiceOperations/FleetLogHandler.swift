import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A swift-log handler writing one JSON object per line (`ts`, `level`, `msg`, `logger`, `source`, then
/// the metadata flattened: nested dictionaries as dotted keys) or one readable text line.
///
/// Metadata is merged handler → metadata provider → call site (later wins). A metadata key that collides
/// with a record field is written as `meta.<key>`. Log ids, never payload bodies (they may hold PHI).
public struct FleetLogHandler: LogHandler {
  /// The record fields that metadata may not overwrite.
  static let reservedKeys: Set<String> = ["ts", "level", "msg", "logger", "source", "error"]

  /// The logger's label, written as `logger`.
  public let label: String
  /// JSON or text lines.
  public let format: LogFormat
  /// Where lines go.
  public let output: LogOutput
  /// The lowest level written.
  public var logLevel: Logger.Level
  /// Metadata added to every record from this handler.
  public var metadata: Logger.Metadata = [:]
  /// Contextual metadata (for example task-local ids) added to every record.
  public var metadataProvider: Logger.MetadataProvider?

  /// Creates a handler for `label` writing `format` lines of `level` and above to `stream`.
  public init(label: String, format: LogFormat, level: Logger.Level, stream: LogOutput = .standardError) {
    self.label = label
    self.format = format
    self.logLevel = level
    self.output = stream
  }

  /// Installs this handler for the whole process, with `service` in every record's metadata.
  ///
  /// Call once, from `@main` only: swift-log allows one bootstrap per process and libraries never bootstrap.
  public static func bootstrap(format: LogFormat, level: Logger.Level, service: String) {
    let factory = makeFactory(format: format, level: level, service: service, stream: .standardError)
    LoggingSystem.bootstrap { label in factory(label) }
  }

  /// The factory ``bootstrap(format:level:service:)`` installs, separate so tests need not bootstrap.
  static func makeFactory(
    format: LogFormat, level: Logger.Level, service: String, stream: LogOutput
  ) -> @Sendable (String) -> FleetLogHandler {
    { label in
      var handler = FleetLogHandler(label: label, format: format, level: level, stream: stream)
      handler.metadata["service"] = .string(service)
      return handler
    }
  }

  /// Metadata of this handler only.
  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// Writes one line for `event`.
  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() {
      merged.merge(provided) { _, new in new }
    }
    if let callSite = event.metadata {
      merged.merge(callSite) { _, new in new }
    }
    let timestamp = Self.timestamp()
    let errorText = event.error.map { String(describing: $0) }
    switch format {
    case .json:
      output.write(
        Self.jsonLine(
          timestamp: timestamp, level: event.level, message: event.message.description, label: label,
          source: event.source, error: errorText, metadata: merged))
    case .text:
      output.write(
        Self.textLine(
          timestamp: timestamp, level: event.level, message: event.message.description, label: label,
          error: errorText, metadata: merged))
    }
  }

  /// The current UTC time as `2025-01-31T12:34:56.789Z`.
  static func timestamp() -> String {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var seconds = now.tv_sec
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let milliseconds = Int(now.tv_nsec) / 1_000_000
    return "\(digits(Int(parts.tm_year) + 1900, 4))-\(digits(Int(parts.tm_mon) + 1, 2))-"
      + "\(digits(Int(parts.tm_mday), 2))T\(digits(Int(parts.tm_hour), 2)):\(digits(Int(parts.tm_min), 2)):"
      + "\(digits(Int(parts.tm_sec), 2)).\(digits(milliseconds, 3))Z"
  }

  private static func digits(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }
}
