/// One service setting: its environment variable, the matching flag, and the line printed by `--help`.
struct ConfigurationSetting: Sendable {
  /// The environment variable, for example `LEDGER_PATH`; also the name errors report.
  let environmentName: String
  /// Placeholder for the value in the usage text, for example `PATH`.
  let valueName: String
  /// One-line explanation for the usage text.
  let help: String
  /// The default as shown in the usage text; `nil` when the setting is optional without a default.
  let defaultDescription: String?
  /// Whether the service refuses to start without it.
  let required: Bool

  /// The command-line flag: the variable in lower case with `-` for `_` (`LEDGER_PATH` → `--ledger-path`).
  var flag: String {
    "--" + String(environmentName.lowercased().map { $0 == "_" ? "-" : $0 })
  }

  init(
    _ environmentName: String, _ valueName: String, _ help: String, default defaultDescription: String? = nil,
    required: Bool = false
  ) {
    self.environmentName = environmentName
    self.valueName = valueName
    self.help = help
    self.defaultDescription = defaultDescription
    self.required = required
  }

  static let natsURL = ConfigurationSetting(
    "NATS_URL", "URLS", "comma-separated nats:// or tls:// server URLs (user:pass@ allowed)",
    default: ServiceConfiguration.defaultNATSURL)
  static let natsUser = ConfigurationSetting("NATS_USER", "USER", "user name (needs NATS_PASSWORD)")
  static let natsPassword = ConfigurationSetting(
    "NATS_PASSWORD", "PASSWORD", "password (needs NATS_USER; prefer the variable to the flag)")
  static let natsToken = ConfigurationSetting("NATS_TOKEN", "TOKEN", "authentication token")
  static let natsNKeySeedFile = ConfigurationSetting(
    "NATS_NKEY_SEED_FILE", "FILE", "readable file holding an NKey seed (SU...)")
  static let natsCredsFile = ConfigurationSetting(
    "NATS_CREDS", "FILE", "readable .creds file (user JWT and NKey seed)")
  static let tlsCAFile = ConfigurationSetting("NATS_TLS_CA", "FILE", "readable PEM file of trusted CAs")
  static let tlsCertFile = ConfigurationSetting(
    "NATS_TLS_CERT", "FILE", "readable PEM client certificate (needs NATS_TLS_KEY)")
  static let tlsKeyFile = ConfigurationSetting(
    "NATS_TLS_KEY", "FILE", "readable PEM client private key (needs NATS_TLS_CERT)")
  static let ledgerPath = ConfigurationSetting(
    "LEDGER_PATH", "PATH", "SQLite ledger file; its directory must exist", required: true)
  static let tenants = ConfigurationSetting(
    "TENANTS", "UUIDS", "comma-separated organization UUIDs this service serves", required: true)
  static let httpPort = ConfigurationSetting(
    "HTTP_PORT", "PORT", "port for /healthz, /readyz, /metrics (0 picks a free port)",
    default: String(ServiceConfiguration.defaultHTTPPort))
  static let configFile = ConfigurationSetting(
    "CONFIG_FILE", "FILE", "per-organization rules, a JSON object")
  static let logLevel = ConfigurationSetting(
    "LOG_LEVEL", "LEVEL", "trace|debug|info|notice|warning|error|critical", default: "info")
  static let logFormat = ConfigurationSetting("LOG_FORMAT", "FORMAT", "json|text", default: "json")
  static let batchSize = ConfigurationSetting(
    "PULL_BATCH", "N", "messages per pull request, 1...1024",
    default: String(ServiceConfiguration.defaultBatchSize))
  static let shutdownTimeout = ConfigurationSetting(
    "SHUTDOWN_TIMEOUT_S", "SECONDS", "graceful shutdown deadline in seconds, up to 3600",
    default: "25")

  /// Every setting, in the order `--help` lists them.
  static let all: [ConfigurationSetting] = [
    .natsURL, .natsUser, .natsPassword, .natsToken, .natsNKeySeedFile, .natsCredsFile, .tlsCAFile,
    .tlsCertFile, .tlsKeyFile, .ledgerPath, .tenants, .httpPort, .configFile, .logLevel, .logFormat,
    .batchSize, .shutdownTimeout,
  ]
}
