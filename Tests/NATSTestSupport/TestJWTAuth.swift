import Foundation
import NKeys

/// Decentralized auth for creds tests: operator, account and user JWTs signed with NKeys; returns server config text
/// (operator: <jwt>, resolver: MEMORY, resolver_preload: {<account pub>: <account jwt>}) and a creds file path for the user.
///
/// The account has JetStream enabled without limits. A system account is preloaded too (the server wants
/// one in operator mode). A second creds file, for a user of an account the server does not know,
/// serves "authorization violation" tests.
public struct TestJWTAuth: Sendable {
  /// The server config snippet: `operator`, `system_account`, `resolver: MEMORY`, `resolver_preload`.
  public var serverConfig: String
  /// The user's creds file (JWT block and seed block).
  public var credsPath: String
  /// The user's public key ("U…").
  public var userPublicKey: String
  /// The account's public key ("A…").
  public var accountPublicKey: String
  /// The operator's public key ("O…").
  public var operatorPublicKey: String
  /// Creds of a user signed by an account that is not in the resolver; the server must reject it.
  public var untrustedCredsPath: String

  /// Generates fresh keys and JWTs and writes `user.creds` and `untrusted-user.creds` into `directory`
  /// (created if missing).
  public static func generate(directory: String) throws -> TestJWTAuth {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let operatorKey = NKeyPair.generate(.operator)
    let systemAccount = NKeyPair.generate(.account)
    let account = NKeyPair.generate(.account)
    let user = NKeyPair.generate(.user)
    let strangerAccount = NKeyPair.generate(.account)
    let strangerUser = NKeyPair.generate(.user)

    let operatorJWT = try encode(
      name: "test-operator", subject: operatorKey.publicKey, issuer: operatorKey,
      nats: OperatorClaims(systemAccount: systemAccount.publicKey))
    let systemJWT = try encode(
      name: "SYS", subject: systemAccount.publicKey, issuer: operatorKey,
      nats: AccountClaims(limits: .unlimited(jetStream: false)))
    let accountJWT = try encode(
      name: "TEST", subject: account.publicKey, issuer: operatorKey,
      nats: AccountClaims(limits: .unlimited(jetStream: true)))
    let userJWT = try encode(
      name: "test-user", subject: user.publicKey, issuer: account, nats: UserClaims())
    let strangerJWT = try encode(
      name: "stranger", subject: strangerUser.publicKey, issuer: strangerAccount, nats: UserClaims())

    let config = """
      operator: \(operatorJWT)
      system_account: \(systemAccount.publicKey)
      resolver: MEMORY
      resolver_preload: {
        \(account.publicKey): \(accountJWT)
        \(systemAccount.publicKey): \(systemJWT)
      }

      """
    let credsPath = (directory as NSString).appendingPathComponent("user.creds")
    let untrustedPath = (directory as NSString).appendingPathComponent("untrusted-user.creds")
    try credsFile(jwt: userJWT, seed: user.seed).write(toFile: credsPath, atomically: true, encoding: .utf8)
    try credsFile(jwt: strangerJWT, seed: strangerUser.seed).write(
      toFile: untrustedPath, atomically: true, encoding: .utf8)
    return TestJWTAuth(
      serverConfig: config, credsPath: credsPath, userPublicKey: user.publicKey,
      accountPublicKey: account.publicKey, operatorPublicKey: operatorKey.publicKey,
      untrustedCredsPath: untrustedPath)
  }

  /// The creds file layout `nsc` writes.
  static func credsFile(jwt: String, seed: String) -> String {
    """
    -----BEGIN NATS USER JWT-----
    \(jwt)
    ------END NATS USER JWT------

    ************************* IMPORTANT *************************
    NKEY Seed printed below can be used to sign and prove identity.
    NKEYs are sensitive and should be treated as secrets.

    -----BEGIN USER NKEY SEED-----
    \(seed)
    ------END USER NKEY SEED------

    *************************************************************

    """
  }

  // MARK: - JWT encoding (nats-io/jwt v2: header alg "ed25519-nkey", Ed25519 over "header.claims")

  private struct Header: Encodable {
    let typ = "JWT"
    let alg = "ed25519-nkey"
  }

  private struct Claims<Nats: Encodable>: Encodable {
    var jti: String
    var iat: Int
    var iss: String
    var name: String
    var sub: String
    var nats: Nats
  }

  private struct OperatorClaims: Encodable {
    var systemAccount: String
    var type = "operator"
    var version = 2

    enum CodingKeys: String, CodingKey {
      case systemAccount = "system_account"
      case type, version
    }
  }

  private struct Permissions: Encodable {}

  private struct DefaultPermissions: Encodable {
    var pub = Permissions()
    var sub = Permissions()
  }

  private struct AccountLimits: Encodable {
    var subs = -1
    var data = -1
    var payload = -1
    var imports = -1
    var exports = -1
    var wildcards = true
    var conn = -1
    var leaf = -1
    var memStorage: Int
    var diskStorage: Int
    var streams: Int
    var consumer: Int

    static func unlimited(jetStream: Bool) -> AccountLimits {
      jetStream
        ? AccountLimits(memStorage: -1, diskStorage: -1, streams: -1, consumer: -1)
        : AccountLimits(memStorage: 0, diskStorage: 0, streams: 0, consumer: 0)
    }

    enum CodingKeys: String, CodingKey {
      case subs, data, payload, imports, exports, wildcards, conn, leaf, streams, consumer
      case memStorage = "mem_storage"
      case diskStorage = "disk_storage"
    }
  }

  private struct AccountClaims: Encodable {
    var limits: AccountLimits
    var defaultPermissions = DefaultPermissions()
    var type = "account"
    var version = 2

    enum CodingKeys: String, CodingKey {
      case limits, type, version
      case defaultPermissions = "default_permissions"
    }
  }

  private struct UserClaims: Encodable {
    var pub = Permissions()
    var sub = Permissions()
    var subs = -1
    var data = -1
    var payload = -1
    var type = "user"
    var version = 2
  }

  private static func encode<Nats: Encodable>(
    name: String, subject: String, issuer: NKeyPair, nats: Nats
  ) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var random = SystemRandomNumberGenerator()
    let jti = Base32.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
    let claims = Claims(
      jti: jti, iat: Int(Date().timeIntervalSince1970), iss: issuer.publicKey, name: name, sub: subject,
      nats: nats)
    let header = Base64URL.encode(Array(try encoder.encode(Header())))
    let body = Base64URL.encode(Array(try encoder.encode(claims)))
    let signingInput = header + "." + body
    let signature = Base64URL.encode(issuer.sign(Array(signingInput.utf8)))
    return signingInput + "." + signature
  }
}
