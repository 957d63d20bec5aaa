import StreamTopology

/// Why `fleet streams apply` stopped.
public struct StreamsApplyError: Error, Sendable, CustomStringConvertible {
  /// The kind of failure.
  public enum Code: String, Sendable, Hashable {
    /// `Topology.validate()` found problems; nothing was sent to the server.
    case invalidTopology
    /// The server refused or failed a call; earlier changes were applied.
    case serverRejected
  }

  /// The kind of failure.
  public var code: Code
  /// One-line description.
  public var message: String
  /// The topology problems (for `.invalidTopology`).
  public var problems: [TopologyProblem]
  /// The changes made before the failure (for `.serverRejected`).
  public var applied: [StreamsApplyChange]
  /// The underlying error.
  public var cause: (any Error)?

  /// Creates an error.
  public init(
    _ code: Code, _ message: String, problems: [TopologyProblem] = [], applied: [StreamsApplyChange] = [],
    cause: (any Error)? = nil
  ) {
    self.code = code
    self.message = message
    self.problems = problems
    self.applied = applied
    self.cause = cause
  }

  /// The message.
  public var description: String { message }
}
