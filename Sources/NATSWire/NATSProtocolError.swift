/// A malformed or unsupported NATS protocol frame, header block or value.
///
/// Messages never quote frame contents (payloads and header values may carry PHI); they name the
/// rule that was broken and the sizes involved.
public struct NATSProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of protocol violation.
  public enum Code: String, Sendable, Hashable {
    /// The control line exceeds the decoder's `maxControlLineLength`.
    case controlLineTooLong
    /// The control line is not shaped like the operation it names (wrong argument count, bad token).
    case malformedControlLine
    /// The control line starts with an operation the client protocol does not define.
    case unknownOperation
    /// A size or sid argument is not a non-negative decimal number, or the sizes contradict each other.
    case invalidSize
    /// The announced payload is larger than the decoder's `maxPayload`.
    case payloadTooLarge
    /// The payload is not followed by `\r\n`.
    case missingPayloadTerminator
    /// A header block is malformed.
    case malformedHeaders
    /// The JSON of an `INFO` line could not be decoded.
    case invalidInfo
    /// A value could not be encoded (for example the JSON of `CONNECT`).
    case encodingFailed
  }

  /// The kind of protocol violation.
  public var code: Code
  /// A human-readable explanation without frame contents.
  public var message: String
  /// A description of the underlying error, when one caused this error (for example a JSON decoding error).
  public var underlying: String?

  /// Creates an error of the given kind.
  public init(_ code: Code, _ message: String, underlying: String? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  /// `NATS protocol error (<code>): <message>[: <underlying>]`.
  public var description: String {
    if let underlying {
      return "NATS protocol error (\(code.rawValue)): \(message): \(underlying)"
    }
    return "NATS protocol error (\(code.rawValue)): \(message)"
  }
}
