import Foundation
import NATSWire

/// Everything that shapes a connection: servers, identity, reconnect policy, keepalive,
/// buffers, TLS and authentication. Defaults follow nats.go where it makes sense.
public struct NATSClientOptions: Sendable {
  /// Seed servers (`nats://`, `tls://`, user:pass@ allowed). Servers learnt from `connect_urls` are added at run time.
  public var servers: [String]
  /// Client name shown by the server (`CONNECT.name`).
  public var name: String?
  /// Keep the given server order instead of shuffling the pool.
  public var noRandomize = false
  /// Ignore `connect_urls` from the server.
  public var ignoreDiscoveredServers = false
  /// Reconnect after a lost connection.
  public var allowReconnect = true
  /// Attempts per server before it is dropped from the pool; a negative value means forever.
  public var maxReconnectAttempts = 60
  /// First reconnect delay for a server; doubles per failed attempt up to `reconnectMaxWait`.
  public var reconnectWait: Duration = .milliseconds(250)
  /// Upper bound of the exponential reconnect delay.
  public var reconnectMaxWait: Duration = .seconds(4)
  /// Random extra delay added to every reconnect wait (0…jitter).
  public var reconnectJitter: Duration = .milliseconds(100)
  /// Bytes of publishes kept while disconnected (sent after reconnect). Beyond it, publish throws.
  public var reconnectBufferSize = 8 * 1024 * 1024
  /// Bytes of unsent outbound data while connected above which `publish` waits for the socket.
  public var outboundHighWatermark = 8 * 1024 * 1024
  /// Interval of client PINGs.
  public var pingInterval: Duration = .seconds(120)
  /// PINGs without PONG after which the connection is considered stale and is reconnected.
  public var maxPingsOutstanding = 2
  /// Time allowed for TCP connect + TLS + INFO/CONNECT/PONG handshake.
  public var connectTimeout: Duration = .seconds(5)
  /// Default deadline for `flush()` and requests.
  public var requestTimeout: Duration = .seconds(5)
  /// Deliver our own publishes to our own subscriptions.
  public var echo = true
  /// Ask the server for 503 "no responders" status on requests without subscribers.
  public var noResponders = true
  /// Pending limits of new subscriptions unless given per subscription.
  public var subscriptionPendingLimits = NATSPendingLimits.default
  /// Prefix of inbox subjects.
  public var inboxPrefix = "_INBOX"
  /// Authentication.
  public var auth = NATSAuth.none
  /// TLS, or nil for plain TCP (TLS is still used when the server or a `tls://` URL requires it).
  public var tls: NATSTLSOptions?
  /// Retry the initial connect with the reconnect policy instead of failing when no server answers.
  public var retryOnFailedConnect = false

  /// Creates options for the given servers.
  public init(servers: [String] = ["nats://127.0.0.1:4222"]) {
    self.servers = servers
  }
}

/// How much a subscription may hold before it is a slow consumer.
public struct NATSPendingLimits: Sendable, Hashable {
  /// Maximum queued messages.
  public var messages: Int
  /// Maximum queued bytes (headers + payload).
  public var bytes: Int
  /// nats.go defaults: 512 Ki messages, 64 MiB.
  public static let `default` = NATSPendingLimits(messages: 512 * 1024, bytes: 64 * 1024 * 1024)
  /// Creates limits.
  public init(messages: Int, bytes: Int) {
    self.messages = messages
    self.bytes = bytes
  }
}

/// Authentication methods. User and password may also come from the server URL.
public enum NATSAuth: Sendable {
  case none
  case userPassword(user: String, password: String)
  case token(String)
  /// An nkey seed (`SU…`) as text; the public key goes into CONNECT and the nonce is signed.
  case nkeySeed(String)
  /// A seed file path.
  case nkeySeedFile(String)
  /// A user credentials file (JWT + seed).
  case credentialsFile(String)
}

/// TLS settings. Server verification is on by default.
public struct NATSTLSOptions: Sendable {
  /// PEM file of trusted CAs; nil = the system roots.
  public var caFile: String?
  /// PEM text of trusted CAs (instead of a file).
  public var caPEM: String?
  /// Client certificate chain (mTLS), as a file or PEM text.
  public var certificateFile: String?
  public var certificatePEM: String?
  /// Client private key (mTLS), as a file or PEM text.
  public var keyFile: String?
  public var keyPEM: String?
  /// Verify the server certificate chain and name (default true).
  public var verifyServer = true
  /// TLS handshake before the server's INFO (server `handshake_first`).
  public var handshakeFirst = false

  /// TLS with system roots and full verification.
  public init(
    caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
    handshakeFirst: Bool = false
  ) {
    self.caFile = caFile
    self.certificateFile = certificateFile
    self.keyFile = keyFile
    self.handshakeFirst = handshakeFirst
  }
}
