/// One thing wrong with a topology, found by ``Topology/validate()``.
public struct TopologyProblem: Sendable, Hashable, CustomStringConvertible {
  /// The file (or, for a definition built in memory, the stream/consumer name) the problem is in.
  public var file: String
  /// What is wrong, in a sentence that names the stream, consumer or subject involved.
  public var message: String

  /// Creates a problem report.
  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  /// `"<file>: <message>"`.
  public var description: String { "\(file): \(message)" }
}
