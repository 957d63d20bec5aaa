/// The JSON body of the client's `CONNECT` line.
///
/// `nil` optionals are omitted from the JSON rather than encoded as `null`.
public struct NATSConnectRequest: Encodable, Sendable, Equatable {
  /// Whether the server acknowledges every operation with `+OK`.
  public var verbose: Bool
  /// Whether the server performs extra strict checks on subjects.
  public var pedantic: Bool
  /// Whether the client requires TLS (`tls_required`).
  public var tlsRequired: Bool
  /// Connection name shown in monitoring.
  public var name: String?
  /// Client implementation language.
  public var lang: String
  /// Client library version.
  public var version: String
  /// Protocol level: 1 enables asynchronous INFO with cluster URLs.
  public var `protocol`: Int
  /// Whether the client understands headers (`HPUB`/`HMSG`).
  public var headers: Bool
  /// Whether the server answers requests without responders with a 503 status (`no_responders`).
  public var noResponders: Bool
  /// Whether the server delivers the connection's own publishes to its subscriptions.
  public var echo: Bool
  /// User name for user/password authentication.
  public var user: String?
  /// Password for user/password authentication.
  public var pass: String?
  /// Token for token authentication (`auth_token`).
  public var authToken: String?
  /// User JWT for decentralized authentication.
  public var jwt: String?
  /// Public nkey of the user.
  public var nkey: String?
  /// Signature of the server's nonce, base64url-encoded.
  public var sig: String?

  /// The JSON keys of `CONNECT`.
  enum CodingKeys: String, CodingKey {
    case verbose
    case pedantic
    case tlsRequired = "tls_required"
    case name
    case lang
    case version
    case `protocol`
    case headers
    case noResponders = "no_responders"
    case echo
    case user
    case pass
    case authToken = "auth_token"
    case jwt
    case nkey
    case sig
  }

  /// Creates a `CONNECT` body with the defaults this client uses: not verbose, headers and
  /// no-responders on, echo on, protocol 1.
  public init(
    verbose: Bool = false, pedantic: Bool = false, tlsRequired: Bool = false,
    name: String? = nil, lang: String = "swift", version: String = "0.1.0",
    protocol: Int = 1, headers: Bool = true, noResponders: Bool = true, echo: Bool = true,
    user: String? = nil, pass: String? = nil, authToken: String? = nil, jwt: String? = nil,
    nkey: String? = nil, sig: String? = nil
  ) {
    self.verbose = verbose
    self.pedantic = pedantic
    self.tlsRequired = tlsRequired
    self.name = name
    self.lang = lang
    self.version = version
    self.protocol = `protocol`
    self.headers = headers
    self.noResponders = noResponders
    self.echo = echo
    self.user = user
    self.pass = pass
    self.authToken = authToken
    self.jwt = jwt
    self.nkey = nkey
    self.sig = sig
  }

  /// Encodes the fields, omitting `nil` optionals.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(verbose, forKey: .verbose)
    try container.encode(pedantic, forKey: .pedantic)
    try container.encode(tlsRequired, forKey: .tlsRequired)
    try container.encodeIfPresent(name, forKey: .name)
    try container.encode(lang, forKey: .lang)
    try container.encode(version, forKey: .version)
    try container.encode(self.protocol, forKey: .protocol)
    try container.encode(headers, forKey: .headers)
    try container.encode(noResponders, forKey: .noResponders)
    try container.encode(echo, forKey: .echo)
    try container.encodeIfPresent(user, forKey: .user)
    try container.encodeIfPresent(pass, forKey: .pass)
    try container.encodeIfPresent(authToken, forKey: .authToken)
    try container.encodeIfPresent(jwt, forKey: .jwt)
    try container.encodeIfPresent(nkey, forKey: .nkey)
    try container.encodeIfPresent(sig, forKey: .sig)
  }
}

extension NATSConnectRequest: CustomStringConvertible {
  /// A description with the secrets (`pass`, `auth_token`, `jwt`, `sig`) redacted, safe to log.
  public var description: String {
    func redacted(_ value: String?) -> String { value == nil ? "nil" : "<redacted>" }
    return "NATSConnectRequest(name: \(name ?? "nil"), lang: \(lang), version: \(version), "
      + "protocol: \(self.protocol), verbose: \(verbose), pedantic: \(pedantic), "
      + "tlsRequired: \(tlsRequired), headers: \(headers), noResponders: \(noResponders), "
      + "echo: \(echo), user: \(user ?? "nil"), pass: \(redacted(pass)), "
      + "authToken: \(redacted(authToken)), jwt: \(redacted(jwt)), nkey: \(nkey ?? "nil"), "
      + "sig: \(redacted(sig)))"
  }
}
