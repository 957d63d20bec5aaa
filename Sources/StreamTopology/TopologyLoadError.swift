/// Why a topology folder or one of its files could not be loaded.
public struct TopologyLoadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file or folder that failed.
  public var file: String
  /// What was wrong with it.
  public var message: String

  /// Creates a load error for a file.
  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  /// `"<file>: <message>"`.
  public var description: String { "\(file): \(message)" }
}
