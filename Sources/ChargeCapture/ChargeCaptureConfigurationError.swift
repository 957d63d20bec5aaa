/// Why the charge-capture configuration file could not be loaded.
public struct ChargeCaptureConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Where in the file, e.g. `organizations.<org>.time_based_codes.S9484.minutes_per_unit`; empty for the whole file.
  public var path: String
  /// What is wrong.
  public var message: String

  /// Creates an error.
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  /// `charge-capture configuration: <path>: <message>`.
  public var description: String {
    "charge-capture configuration: " + (path.isEmpty ? message : "\(path): \(message)")
  }
}
