import NATS

/// A failure of a `fleet` command: a one-line message for `fleet: error: …` and an exit code.
public struct FleetError: Error, Sendable, CustomStringConvertible {
  /// What kind of failure it is, for callers and tests that switch on it.
  public enum Code: String, Sendable, Hashable {
    /// A flag or environment value is wrong (bad URL, conflicting authentication, …).
    case invalidOption
    /// The connection to NATS could not be made.
    case connectionFailed
    /// A request got no reply in time.
    case timeout
    /// Nobody listens on the request subject.
    case noResponders
    /// JetStream refused or failed an API call.
    case jetStream
    /// A stream or consumer does not exist.
    case notFound
    /// The streams/ folder could not be loaded or has problems.
    case invalidTopology
    /// An event kind is unknown.
    case unknownEventKind
    /// Anything else.
    case failed
  }

  /// The failure kind.
  public var code: Code
  /// The message printed after `fleet: error: ` (one line, never a message payload).
  public var message: String
  /// The process exit code (1 unless a command says otherwise).
  public var exitCode: Int32
  /// The underlying error, when there is one.
  public var cause: (any Error)?

  /// Creates an error.
  public init(_ code: Code, _ message: String, exitCode: Int32 = 1, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.exitCode = exitCode
    self.cause = cause
  }

  /// The message.
  public var description: String { message }
}

extension FleetError {
  /// Maps a client error to a fleet error with the matching code; other errors pass through.
  public static func from(_ error: any Error) -> any Error {
    guard let error = error as? NATSError else { return error }
    switch error.code {
    case .timeout: return FleetError(.timeout, error.message, cause: error)
    case .noResponders: return FleetError(.noResponders, error.message, cause: error)
    case .connectionClosed, .connectionFailed, .noServers, .tlsFailure, .authorizationViolation:
      return FleetError(.connectionFailed, error.message, cause: error)
    default: return FleetError(.failed, error.message, cause: error)
    }
  }
}
