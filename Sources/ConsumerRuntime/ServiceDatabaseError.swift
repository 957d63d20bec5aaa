/// Why a service database could not be opened.
public struct ServiceDatabaseError: Error, Sendable, CustomStringConvertible {
  /// What failed.
  public var message: String
  /// The file concerned.
  public var path: String
  /// The underlying error text, if any.
  public var underlying: String?

  /// Creates an error.
  public init(message: String, path: String, underlying: String? = nil) {
    self.message = message
    self.path = path
    self.underlying = underlying
  }

  /// "message (path): underlying".
  public var description: String {
    "\(message) (\(path))" + (underlying.map { ": \($0)" } ?? "")
  }
}
