/// An error from decoding, checking or using an NKey or a credentials file.
///
/// Messages never contain a seed, a private key or a JWT.
public struct NKeyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What kind of failure this is, for callers that branch on it.
  public enum Code: String, Sendable, Hashable {
    /// The text is not valid base32 or base64url.
    case invalidEncoding
    /// The CRC16 checksum does not match the key bytes.
    case invalidChecksum
    /// The prefix byte is not the one expected (or not a known role).
    case invalidPrefix
    /// The decoded key has the wrong number of bytes.
    case invalidLength
    /// The key bytes are not a usable Ed25519 key.
    case invalidKey
    /// A credentials file lacks a block or holds a malformed one.
    case invalidCredentials
    /// A credentials file could not be read.
    case unreadableFile
  }

  /// The kind of failure.
  public var code: Code
  /// A human-readable explanation (never includes secrets).
  public var message: String

  /// Creates an error with a code and a message that must not contain secrets.
  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  /// `NKeyError(<code>): <message>`.
  public var description: String { "NKeyError(\(code.rawValue)): \(message)" }
}
