/// Why the gr-incidents configuration file could not be loaded.
public struct GRIncidentsConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Where in the file, e.g. `organizations.<org>.escalation_role`; empty for the whole file.
  public var path: String
  /// What is wrong.
  public var message: String

  /// Creates an error.
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  /// `gr-incidents configuration: <path>: <message>`.
  public var description: String {
    "gr-incidents configuration: " + (path.isEmpty ? message : "\(path): \(message)")
  }
}
