/// Why a byte sequence is not one well-formed JSON value.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Byte offset in the input where parsing stopped.
  public var offset: Int
  /// What was wrong at that offset.
  public var message: String

  /// Creates a parse error at a byte offset.
  public init(offset: Int, message: String) {
    self.offset = offset
    self.message = message
  }

  /// `"<message> at byte <offset>"`.
  public var description: String { "\(message) at byte \(offset)" }
}
