import ArgumentParser
import Foundation
import NATS

/// The connection flags of every networked verb, in the style of the nats CLI. A flag wins over
/// its environment variable, which wins over the default.
public struct ConnectionOptions: ParsableArguments, Sendable {
  /// `--server URL[,URL]` (env `NATS_URL`, default `nats://127.0.0.1:4222`).
  @Option(name: [.customShort("s"), .long], help: "NATS server URL(s), comma separated (env NATS_URL).")
  public var server: String?

  /// `--user` (env `NATS_USER`).
  @Option(help: "User name (env NATS_USER).")
  public var user: String?

  /// `--password` (env `NATS_PASSWORD`).
  @Option(help: "Password (env NATS_PASSWORD).")
  public var password: String?

  /// `--token` (env `NATS_TOKEN`).
  @Option(help: "Authentication token (env NATS_TOKEN).")
  public var token: String?

  /// `--nkey FILE` (env `NATS_NKEY_SEED_FILE`).
  @Option(name: .customLong("nkey"), help: "NKey seed file (env NATS_NKEY_SEED_FILE).")
  public var nkeyFile: String?

  /// `--creds FILE` (env `NATS_CREDS`).
  @Option(name: .customLong("creds"), help: "User credentials file (env NATS_CREDS).")
  public var credentialsFile: String?

  /// `--tls-ca FILE` (env `NATS_TLS_CA`).
  @Option(name: .customLong("tls-ca"), help: "PEM file of trusted CAs (env NATS_TLS_CA).")
  public var tlsCA: String?

  /// `--tls-cert FILE` (env `NATS_TLS_CERT`).
  @Option(name: .customLong("tls-cert"), help: "Client certificate PEM file (env NATS_TLS_CERT).")
  public var tlsCert: String?

  /// `--tls-key FILE` (env `NATS_TLS_KEY`).
  @Option(name: .customLong("tls-key"), help: "Client private key PEM file (env NATS_TLS_KEY).")
  public var tlsKey: String?

  /// `--tls-first`: TLS handshake before the server's INFO.
  @Flag(name: .customLong("tls-first"), help: "Start TLS before the server's INFO (handshake_first).")
  public var tlsFirst = false

  /// `--timeout SECONDS` for connecting, flushing and requests (default 5).
  @Option(help: "Seconds allowed to connect and for each request (default 5).")
  public var timeout: Double?

  /// The server used when neither `--server` nor `NATS_URL` is given.
  public static let defaultServer = "nats://127.0.0.1:4222"
  /// The deadline used when `--timeout` is not given.
  public static let defaultTimeoutSeconds = 5.0

  /// Creates options with nothing set (defaults and environment apply).
  public init() {}

  /// The deadline for connects, flushes and requests.
  public var timeoutDuration: Duration {
    .milliseconds(Int64(((timeout ?? Self.defaultTimeoutSeconds) * 1000).rounded()))
  }

  /// Builds the client options from the flags, then `environment`, then defaults.
  ///
  /// Servers: `--server` or `NATS_URL`, split on commas, each checked as a NATS URL.
  /// Authentication: one of credentials file, nkey seed file, user + password, token; when a flag
  /// names a method, the environment's methods are ignored (a `--password` may still come from
  /// `NATS_PASSWORD`); two methods from the same place are an error. TLS: any of the TLS flags (or
  /// their variables) turns TLS on; a certificate needs its key.
  public func makeClientOptions(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(FleetError) -> NATSClientOptions {
    func value(_ flag: String?, _ variable: String) -> (text: String, fromFlag: Bool)? {
      if let flag, !flag.isEmpty { return (flag, true) }
      if let text = environment[variable], !text.isEmpty { return (text, false) }
      return nil
    }

    let serverList = value(server, "NATS_URL")?.text ?? Self.defaultServer
    let servers = serverList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    guard !servers.isEmpty else {
      throw FleetError(.invalidOption, "no server URL given (--server or NATS_URL)")
    }
    for url in servers {
      do {
        _ = try NATSServerAddress(parsing: url)
      } catch {
        throw FleetError(.invalidOption, "invalid server URL '\(url)': \(error.message)")
      }
    }
    var options = NATSClientOptions(servers: servers)
    options.name = "fleet"
    options.noRandomize = true

    if let timeout, !(timeout > 0 && timeout.isFinite) {
      throw FleetError(.invalidOption, "--timeout must be a positive number of seconds")
    }
    options.connectTimeout = timeoutDuration
    options.requestTimeout = timeoutDuration

    options.auth = try authentication(value: value)

    let ca = value(tlsCA, "NATS_TLS_CA")?.text
    let cert = value(tlsCert, "NATS_TLS_CERT")?.text
    let key = value(tlsKey, "NATS_TLS_KEY")?.text
    if (cert == nil) != (key == nil) {
      throw FleetError(.invalidOption, "--tls-cert and --tls-key must be given together")
    }
    if ca != nil || cert != nil || tlsFirst {
      options.tls = NATSTLSOptions(caFile: ca, certificateFile: cert, keyFile: key, handshakeFirst: tlsFirst)
    }
    return options
  }

  private func authentication(
    value: (String?, String) -> (text: String, fromFlag: Bool)?
  ) throws(FleetError) -> NATSAuth {
    struct Method {
      var label: String
      var fromFlag: Bool
      var auth: NATSAuth
    }
    var methods: [Method] = []
    if let creds = value(credentialsFile, "NATS_CREDS") {
      methods.append(
        Method(
          label: creds.fromFlag ? "--creds" : "NATS_CREDS", fromFlag: creds.fromFlag,
          auth: .credentialsFile(creds.text)))
    }
    if let nkey = value(nkeyFile, "NATS_NKEY_SEED_FILE") {
      methods.append(
        Method(
          label: nkey.fromFlag ? "--nkey" : "NATS_NKEY_SEED_FILE", fromFlag: nkey.fromFlag,
          auth: .nkeySeedFile(nkey.text)))
    }
    let user = value(self.user, "NATS_USER")
    let password = value(self.password, "NATS_PASSWORD")
    if let user {
      guard let password else {
        throw FleetError(.invalidOption, "a user needs a password (--password or NATS_PASSWORD)")
      }
      methods.append(
        Method(
          label: user.fromFlag ? "--user" : "NATS_USER", fromFlag: user.fromFlag,
          auth: .userPassword(user: user.text, password: password.text)))
    } else if let password, password.fromFlag {
      throw FleetError(.invalidOption, "--password needs --user (or NATS_USER)")
    }
    if let token = value(self.token, "NATS_TOKEN") {
      methods.append(
        Method(
          label: token.fromFlag ? "--token" : "NATS_TOKEN", fromFlag: token.fromFlag, auth: .token(token.text)
        ))
    }
    let fromFlags = methods.filter(\.fromFlag)
    let chosen = fromFlags.isEmpty ? methods : fromFlags
    if chosen.count > 1 {
      throw FleetError(
        .invalidOption,
        "conflicting authentication: \(chosen.map(\.label).joined(separator: ", ")); use only one")
    }
    return chosen.first?.auth ?? .none
  }
}
