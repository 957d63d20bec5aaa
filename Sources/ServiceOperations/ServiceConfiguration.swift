import Foundation
import Logging

/// Settings shared by every consumer service, from environment variables with matching command-line
/// flags (a flag beats its variable).
///
/// Each variable's flag is its name in lower case with `-` for `_`: `LEDGER_PATH` → `--ledger-path`,
/// `NATS_CREDS` → `--nats-creds`. A value that is empty or only blanks counts as not set. A missing or
/// invalid setting is a ``ConfigurationError`` naming the variable and why.
public struct ServiceConfiguration: Sendable, Equatable {
  /// The default server list when `NATS_URL` is not set.
  public static let defaultNATSURL = "nats://127.0.0.1:4222"
  /// The default `HTTP_PORT`.
  public static let defaultHTTPPort = 8080
  /// The default `PULL_BATCH`.
  public static let defaultBatchSize = 64
  /// The default `SHUTDOWN_TIMEOUT_S`.
  public static let defaultShutdownTimeout = Duration.seconds(25)
  /// The largest `CONFIG_FILE` accepted, in bytes.
  public static let maximumConfigFileSize = 4 * 1024 * 1024

  /// `NATS_URL` / `--nats-url`: server URLs, each `nats://` or `tls://`, optionally with `user:pass@`.
  public var natsURLs: [String]
  /// `NATS_USER` / `--nats-user`.
  public var natsUser: String?
  /// `NATS_PASSWORD` / `--nats-password`.
  public var natsPassword: String?
  /// `NATS_TOKEN` / `--nats-token`.
  public var natsToken: String?
  /// `NATS_NKEY_SEED_FILE` / `--nats-nkey-seed-file`: a readable file holding an NKey seed.
  public var natsNKeySeedFile: String?
  /// `NATS_CREDS` / `--nats-creds`: a readable `.creds` file.
  public var natsCredsFile: String?
  /// `NATS_TLS_CA` / `--nats-tls-ca`: a readable PEM file of trusted certificate authorities.
  public var tlsCAFile: String?
  /// `NATS_TLS_CERT` / `--nats-tls-cert`: a readable PEM client certificate, always with ``tlsKeyFile``.
  public var tlsCertFile: String?
  /// `NATS_TLS_KEY` / `--nats-tls-key`: a readable PEM private key, always with ``tlsCertFile``.
  public var tlsKeyFile: String?
  /// `LEDGER_PATH` / `--ledger-path` (required): the SQLite ledger file; its directory exists.
  public var ledgerPath: String
  /// `TENANTS` / `--tenants` (required): organization UUIDs, normalised to lower case.
  public var tenants: Set<String>
  /// `HTTP_PORT` / `--http-port`: 0...65535, 0 picks a free port.
  public var httpPort: Int
  /// `CONFIG_FILE` / `--config-file`: per-organization rules, a JSON object.
  public var configFile: String?
  /// The bytes of ``configFile``, read (and checked to be a JSON object) at load time.
  public var configData: [UInt8]?
  /// `LOG_LEVEL` / `--log-level`.
  public var logLevel: Logger.Level
  /// `LOG_FORMAT` / `--log-format`.
  public var logFormat: LogFormat
  /// `PULL_BATCH` / `--pull-batch`: messages per pull request, 1...1024.
  public var batchSize: Int
  /// `SHUTDOWN_TIMEOUT_S` / `--shutdown-timeout-s`: how long a graceful shutdown may take.
  public var shutdownTimeout: Duration

  /// Creates a configuration directly (tests, tools); ``load(environment:arguments:)`` is the validated path.
  public init(
    natsURLs: [String] = [ServiceConfiguration.defaultNATSURL], natsUser: String? = nil,
    natsPassword: String? = nil, natsToken: String? = nil, natsNKeySeedFile: String? = nil,
    natsCredsFile: String? = nil, tlsCAFile: String? = nil, tlsCertFile: String? = nil,
    tlsKeyFile: String? = nil, ledgerPath: String, tenants: Set<String>,
    httpPort: Int = ServiceConfiguration.defaultHTTPPort, configFile: String? = nil,
    configData: [UInt8]? = nil, logLevel: Logger.Level = .info, logFormat: LogFormat = .json,
    batchSize: Int = ServiceConfiguration.defaultBatchSize,
    shutdownTimeout: Duration = ServiceConfiguration.defaultShutdownTimeout
  ) {
    self.natsURLs = natsURLs
    self.natsUser = natsUser
    self.natsPassword = natsPassword
    self.natsToken = natsToken
    self.natsNKeySeedFile = natsNKeySeedFile
    self.natsCredsFile = natsCredsFile
    self.tlsCAFile = tlsCAFile
    self.tlsCertFile = tlsCertFile
    self.tlsKeyFile = tlsKeyFile
    self.ledgerPath = ledgerPath
    self.tenants = tenants
    self.httpPort = httpPort
    self.configFile = configFile
    self.configData = configData
    self.logLevel = logLevel
    self.logFormat = logFormat
    self.batchSize = batchSize
    self.shutdownTimeout = shutdownTimeout
  }

  /// Reads and validates every setting from `environment`, overridden by `arguments`.
  ///
  /// `arguments` are the command-line arguments without the program name, for example
  /// `["--ledger-path", "/x", "--tenants=a,b"]`. An unknown flag, a flag without a value or a stray
  /// argument is an error naming it; `--help` or `-h` throws ``ConfigurationError/helpRequested(usage:)``
  /// with the usage text for the running program's name.
  public static func load(
    environment: [String: String], arguments: [String]
  ) throws(ConfigurationError) -> ServiceConfiguration {
    try load(
      environment: environment, arguments: arguments,
      serviceName: ProcessInfo.processInfo.processName)
  }

  /// Like ``load(environment:arguments:)``, with `serviceName` used in the `--help` text.
  public static func load(
    environment: [String: String], arguments: [String], serviceName: String
  ) throws(ConfigurationError) -> ServiceConfiguration {
    let flags = try parseArguments(arguments, serviceName: serviceName)
    let source = SettingValues(environment: environment, flags: flags)

    let natsURLs = try parseNATSURLs(source.value(.natsURL))
    let natsUser = source.value(.natsUser)
    let natsPassword = source.value(.natsPassword)
    if natsUser != nil, natsPassword == nil {
      throw ConfigurationError(
        setting: ConfigurationSetting.natsPassword.environmentName, reason: "required when NATS_USER is set")
    }
    if natsPassword != nil, natsUser == nil {
      throw ConfigurationError(
        setting: ConfigurationSetting.natsUser.environmentName, reason: "required when NATS_PASSWORD is set")
    }
    let seedFile = try readableFile(source.value(.natsNKeySeedFile), .natsNKeySeedFile)
    let credsFile = try readableFile(source.value(.natsCredsFile), .natsCredsFile)
    let caFile = try readableFile(source.value(.tlsCAFile), .tlsCAFile)
    let certFile = try readableFile(source.value(.tlsCertFile), .tlsCertFile)
    let keyFile = try readableFile(source.value(.tlsKeyFile), .tlsKeyFile)
    if certFile != nil, keyFile == nil {
      throw ConfigurationError(
        setting: ConfigurationSetting.tlsKeyFile.environmentName, reason: "required when NATS_TLS_CERT is set"
      )
    }
    if keyFile != nil, certFile == nil {
      throw ConfigurationError(
        setting: ConfigurationSetting.tlsCertFile.environmentName, reason: "required when NATS_TLS_KEY is set"
      )
    }
    let ledgerPath = try parseLedgerPath(source.value(.ledgerPath))
    let tenants = try parseTenants(source.value(.tenants))
    let httpPort = try parseInteger(source.value(.httpPort), .httpPort, range: 0...65535) ?? defaultHTTPPort
    let configFile = try readableFile(source.value(.configFile), .configFile)
    let configData = try configFile.map { path throws(ConfigurationError) in try loadJSONObject(path) }
    let logLevel = try parseLogLevel(source.value(.logLevel))
    let logFormat = try parseLogFormat(source.value(.logFormat))
    let batchSize =
      try parseInteger(source.value(.batchSize), .batchSize, range: 1...1024) ?? defaultBatchSize
    let shutdownTimeout = try parseShutdownTimeout(source.value(.shutdownTimeout))

    return ServiceConfiguration(
      natsURLs: natsURLs, natsUser: natsUser, natsPassword: natsPassword,
      natsToken: source.value(.natsToken), natsNKeySeedFile: seedFile, natsCredsFile: credsFile,
      tlsCAFile: caFile, tlsCertFile: certFile, tlsKeyFile: keyFile, ledgerPath: ledgerPath,
      tenants: tenants, httpPort: httpPort, configFile: configFile, configData: configData,
      logLevel: logLevel, logFormat: logFormat, batchSize: batchSize, shutdownTimeout: shutdownTimeout)
  }

  /// The `--help` text: every flag with its environment variable, meaning and default.
  public static func usage(serviceName: String) -> String {
    var lines = [
      "USAGE: \(serviceName) [--flag VALUE | --flag=VALUE]...",
      "",
      "Every setting is read from its environment variable; the matching flag overrides it.",
      "",
      "OPTIONS:",
    ]
    let columns = ConfigurationSetting.all.map { "\($0.flag) \($0.valueName)" }
    let flagWidth = (columns.map(\.count).max() ?? 0) + 2
    let variableWidth = (ConfigurationSetting.all.map(\.environmentName.count).max() ?? 0) + 2
    for (setting, column) in zip(ConfigurationSetting.all, columns) {
      var help = setting.help
      if setting.required { help += " (required)" }
      if let defaultDescription = setting.defaultDescription { help += " (default: \(defaultDescription))" }
      lines.append("  " + pad(column, flagWidth) + pad(setting.environmentName, variableWidth) + help)
    }
    lines.append("  " + pad("-h, --help", flagWidth) + pad("", variableWidth) + "show this help")
    return lines.joined(separator: "\n") + "\n"
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
