/// An error returned by the JetStream API (`{"error": {"code": …, "err_code": …, "description": …}}`),
/// from a management request or from a PubAck. The server's codes are kept as data so callers can
/// switch on `errorCode` (for example 10058 "stream name already in use with a different configuration",
/// 10071 "wrong last sequence", 10148 "consumer already exists").
public struct JetStreamAPIError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
  /// The HTTP-like status code (400, 404, 500, 503…).
  public var code: Int
  /// JetStream's own error code (`err_code`), stable across server versions; 0 when absent.
  public var errorCode: Int
  /// The server's description of the error.
  public var description: String

  /// Creates an API error.
  public init(code: Int, errorCode: Int, description: String) {
    self.code = code
    self.errorCode = errorCode
    self.description = description
  }

  enum CodingKeys: String, CodingKey {
    case code
    case errorCode = "err_code"
    case description
  }

  /// Decodes an error object; missing fields default to 0 / "" instead of failing.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.code = try c.decodeIfPresent(Int.self, forKey: .code) ?? 0
    self.errorCode = try c.decodeIfPresent(Int.self, forKey: .errorCode) ?? 0
    self.description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
  }

  /// The description with both codes, for logs.
  public var message: String { "\(description) (code \(code), err_code \(errorCode))" }
}

extension JetStreamAPIError {
  /// Well-known `err_code` values.
  public enum Code {
    /// Stream not found.
    public static let streamNotFound = 10059
    /// Stream name already in use with a different configuration.
    public static let streamNameInUse = 10058
    /// Consumer not found.
    public static let consumerNotFound = 10014
    /// Consumer already exists (action "create" with a different configuration).
    public static let consumerAlreadyExists = 10148
    /// Consumer does not exist (action "update").
    public static let consumerDoesNotExist = 10149
    /// No message found (STREAM.MSG.GET).
    public static let noMessageFound = 10037
    /// Expected last sequence did not match.
    public static let streamWrongLastSequence = 10071
    /// Expected last msg id did not match.
    public static let streamWrongLastMsgID = 10070
    /// Expected stream did not match.
    public static let streamNotMatch = 10060
  }
}
