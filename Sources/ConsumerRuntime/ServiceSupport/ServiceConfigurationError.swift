/// Why a service configuration file (CONFIG_FILE) was rejected: care-transitions and
/// lead-reconciliation report their files with it (under their own type aliases).
public struct ServiceConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What failed.
  public var message: String
  /// The decoding error or the list of invalid values.
  public var underlying: String?

  /// Creates an error.
  public init(message: String, underlying: String? = nil) {
    self.message = message
    self.underlying = underlying
  }

  /// "message: underlying".
  public var description: String {
    message + (underlying.map { ": \($0)" } ?? "")
  }

  /// A decoding error as "path: reason", without echoing the file's values.
  public static func describe(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else { return "not valid JSON" }
    let context: DecodingError.Context
    switch decoding {
    case .dataCorrupted(let c): context = c
    case .keyNotFound(_, let c): context = c
    case .typeMismatch(_, let c): context = c
    case .valueNotFound(_, let c): context = c
    @unknown default: return "not valid JSON"
    }
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
  }
}
