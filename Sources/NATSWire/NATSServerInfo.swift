/// The server's `INFO` JSON: identity, limits, features and cluster URLs.
///
/// Every field is optional because servers of different versions and configurations omit
/// different keys; the accessors below give the protocol defaults for absent ones.
public struct NATSServerInfo: Codable, Sendable, Equatable {
  /// Unique id of the server (`server_id`).
  public var serverId: String?
  /// Configured name of the server (`server_name`).
  public var serverName: String?
  /// Server version, for example `2.15.1` (`version`).
  public var version: String?
  /// Go version the server was built with (`go`).
  public var goVersion: String?
  /// Protocol level the server speaks (`proto`).
  public var proto: Int?
  /// Host the server listens on (`host`).
  public var host: String?
  /// Port the server listens on (`port`).
  public var port: Int?
  /// Whether the server supports headers (`headers`).
  public var headers: Bool?
  /// Largest payload the server accepts, headers included (`max_payload`).
  public var maxPayload: Int?
  /// Whether the client must authenticate (`auth_required`).
  public var authRequired: Bool?
  /// Whether the client must upgrade to TLS (`tls_required`).
  public var tlsRequired: Bool?
  /// Whether the server offers TLS without requiring it (`tls_available`).
  public var tlsAvailable: Bool?
  /// Whether the server verifies client certificates (`tls_verify`).
  public var tlsVerify: Bool?
  /// Nonce to sign with an nkey or JWT user (`nonce`).
  public var nonce: String?
  /// Other servers of the cluster the client may connect to (`connect_urls`).
  public var connectURLs: [String]?
  /// Whether the server is in lame duck mode and about to shut down (`ldm`).
  public var lameDuckMode: Bool?
  /// Whether JetStream is enabled (`jetstream`).
  public var jetstream: Bool?
  /// The id the server gave this client connection (`client_id`).
  public var clientId: UInt64?
  /// The client's address as the server sees it (`client_ip`).
  public var clientIP: String?
  /// Cluster name (`cluster`).
  public var cluster: String?
  /// JetStream domain (`domain`).
  public var domain: String?
  /// Server's public curve key for encrypted JWT exchanges (`xkey`).
  public var xkey: String?

  /// The JSON keys of `INFO`.
  enum CodingKeys: String, CodingKey {
    case serverId = "server_id"
    case serverName = "server_name"
    case version
    case goVersion = "go"
    case proto
    case host
    case port
    case headers
    case maxPayload = "max_payload"
    case authRequired = "auth_required"
    case tlsRequired = "tls_required"
    case tlsAvailable = "tls_available"
    case tlsVerify = "tls_verify"
    case nonce
    case connectURLs = "connect_urls"
    case lameDuckMode = "ldm"
    case jetstream
    case clientId = "client_id"
    case clientIP = "client_ip"
    case cluster
    case domain
    case xkey
  }

  /// Creates a server description; every field defaults to absent.
  public init(
    serverId: String? = nil, serverName: String? = nil, version: String? = nil,
    goVersion: String? = nil, proto: Int? = nil, host: String? = nil, port: Int? = nil,
    headers: Bool? = nil, maxPayload: Int? = nil, authRequired: Bool? = nil,
    tlsRequired: Bool? = nil, tlsAvailable: Bool? = nil, tlsVerify: Bool? = nil,
    nonce: String? = nil, connectURLs: [String]? = nil, lameDuckMode: Bool? = nil,
    jetstream: Bool? = nil, clientId: UInt64? = nil, clientIP: String? = nil,
    cluster: String? = nil, domain: String? = nil, xkey: String? = nil
  ) {
    self.serverId = serverId
    self.serverName = serverName
    self.version = version
    self.goVersion = goVersion
    self.proto = proto
    self.host = host
    self.port = port
    self.headers = headers
    self.maxPayload = maxPayload
    self.authRequired = authRequired
    self.tlsRequired = tlsRequired
    self.tlsAvailable = tlsAvailable
    self.tlsVerify = tlsVerify
    self.nonce = nonce
    self.connectURLs = connectURLs
    self.lameDuckMode = lameDuckMode
    self.jetstream = jetstream
    self.clientId = clientId
    self.clientIP = clientIP
    self.cluster = cluster
    self.domain = domain
    self.xkey = xkey
  }
}

extension NATSServerInfo {
  /// The server's default `max_payload` (1 MiB), used when `INFO` does not state one.
  public static let defaultMaxPayload = 1024 * 1024

  /// `max_payload`, or 1 MiB when absent or not positive.
  public var effectiveMaxPayload: Int {
    guard let maxPayload, maxPayload > 0 else { return Self.defaultMaxPayload }
    return maxPayload
  }

  /// Whether `HPUB`/`HMSG` may be used (`headers` is true).
  public var supportsHeaders: Bool { headers ?? false }

  /// Whether the client must authenticate.
  public var requiresAuth: Bool { authRequired ?? false }

  /// Whether the client must upgrade the connection to TLS.
  public var requiresTLS: Bool { tlsRequired ?? false }

  /// Whether the server is in lame duck mode.
  public var isLameDuck: Bool { lameDuckMode ?? false }

  /// Whether JetStream is enabled on the server.
  public var supportsJetStream: Bool { jetstream ?? false }

  /// `connect_urls`, or an empty list when absent.
  public var clusterURLs: [String] { connectURLs ?? [] }
}
