/// A failure of the test support itself: a server that would not start, a tool that failed, no free port.
public struct TestSupportError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, with the tail of the relevant log when there is one.
  public var message: String

  /// Creates an error with a message.
  public init(_ message: String) {
    self.message = message
  }

  /// The message.
  public var description: String { "TestSupportError: \(message)" }
}
