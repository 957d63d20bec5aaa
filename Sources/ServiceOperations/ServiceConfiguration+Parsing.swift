import Foundation
import Logging

extension ServiceConfiguration {
  /// Maps `--flag value` / `--flag=value` arguments to values keyed by environment variable name.
  static func parseArguments(
    _ arguments: [String], serviceName: String
  ) throws(ConfigurationError) -> [String: String] {
    var settingsByFlag: [String: ConfigurationSetting] = [:]
    for setting in ConfigurationSetting.all { settingsByFlag[setting.flag] = setting }

    var values: [String: String] = [:]
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      index += 1
      if argument == "--help" || argument == "-h" {
        throw ConfigurationError.helpRequested(usage: usage(serviceName: serviceName))
      }
      guard argument.hasPrefix("--") else {
        throw ConfigurationError(
          setting: argument, reason: "unexpected argument; settings are given as --flag VALUE or --flag=VALUE"
        )
      }
      let flag: String
      let inlineValue: String?
      if let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      } else {
        flag = argument
        inlineValue = nil
      }
      guard let setting = settingsByFlag[flag] else {
        throw ConfigurationError(setting: flag, reason: "unknown flag; run with --help for the list")
      }
      if let inlineValue {
        values[setting.environmentName] = inlineValue
        continue
      }
      guard index < arguments.endIndex, !arguments[index].hasPrefix("--") else {
        throw ConfigurationError(
          setting: setting.environmentName,
          reason: "\(flag) needs a value (write \(flag)=VALUE for a value that starts with --)")
      }
      values[setting.environmentName] = arguments[index]
      index += 1
    }
    return values
  }

  /// `NATS_URL`: comma-separated; each `nats://` or `tls://`, optional `user[:pass]@`, host, optional port.
  static func parseNATSURLs(_ value: String?) throws(ConfigurationError) -> [String] {
    guard let value else { return [defaultNATSURL] }
    var urls: [String] = []
    for part in value.split(separator: ",", omittingEmptySubsequences: false) {
      let url = part.trimmingCharacters(in: .whitespaces)
      guard !url.isEmpty else {
        throw ConfigurationError(setting: "NATS_URL", reason: "contains an empty entry between commas")
      }
      if let problem = natsURLProblem(url) {
        throw ConfigurationError(setting: "NATS_URL", reason: "\(redactedURL(url)): \(problem)")
      }
      urls.append(url)
    }
    return urls
  }

  /// Why `url` is not a usable NATS server URL, or `nil` when it is.
  static func natsURLProblem(_ url: String) -> String? {
    guard let schemeEnd = url.range(of: "://") else { return "expected nats://host:port or tls://host:port" }
    let scheme = url[..<schemeEnd.lowerBound].lowercased()
    guard scheme == "nats" || scheme == "tls" else { return "scheme must be nats:// or tls://" }
    var rest = Substring(url[schemeEnd.upperBound...])
    if rest.hasSuffix("/") { rest = rest.dropLast() }
    if let at = rest.lastIndex(of: "@") {
      let userInfo = rest[..<at]
      guard !userInfo.isEmpty, !userInfo.hasPrefix(":") else { return "user name before @ is empty" }
      rest = rest[rest.index(after: at)...]
    }
    guard !rest.contains(where: { "/?#".contains($0) }) else { return "must not have a path or query" }
    let host: Substring
    var port: Substring? = nil
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { return "unclosed [ in IPv6 address" }
      host = rest[rest.index(after: rest.startIndex)..<close]
      let afterHost = rest[rest.index(after: close)...]
      if !afterHost.isEmpty {
        guard afterHost.hasPrefix(":") else { return "unexpected text after ]" }
        port = afterHost.dropFirst()
      }
      guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
        return "invalid IPv6 address"
      }
    } else {
      let pieces = rest.split(separator: ":", omittingEmptySubsequences: false)
      guard pieces.count <= 2 else { return "IPv6 addresses must be in brackets" }
      host = pieces[0]
      if pieces.count == 2 { port = pieces[1] }
      guard !host.isEmpty else { return "host is empty" }
      guard
        host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") })
      else { return "invalid host name" }
    }
    if let port {
      guard let number = Int(port), (1...65535).contains(number) else { return "port must be 1...65535" }
    }
    return nil
  }

  /// `url` with any password replaced by `***`, for error messages.
  static func redactedURL(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://"),
      let at = url[schemeEnd.upperBound...].lastIndex(of: "@")
    else { return url }
    let userInfo = url[schemeEnd.upperBound..<at]
    guard let colon = userInfo.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":***" + String(url[at...])
  }

  /// An optional file setting: when set, it must name an existing, readable regular file.
  static func readableFile(
    _ value: String?, _ setting: ConfigurationSetting
  ) throws(ConfigurationError) -> String? {
    guard let path = value else { return nil }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ConfigurationError(setting: setting.environmentName, reason: "file \(path) does not exist")
    }
    guard !isDirectory.boolValue else {
      throw ConfigurationError(setting: setting.environmentName, reason: "\(path) is a directory, not a file")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw ConfigurationError(setting: setting.environmentName, reason: "file \(path) is not readable")
    }
    return path
  }

  /// `LEDGER_PATH`: required; its parent directory must exist and the path must not be a directory.
  static func parseLedgerPath(_ value: String?) throws(ConfigurationError) -> String {
    guard let path = value else {
      throw ConfigurationError(setting: "LEDGER_PATH", reason: "required (the SQLite ledger file)")
    }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw ConfigurationError(setting: "LEDGER_PATH", reason: "\(path) is a directory, not a file")
    }
    let parent = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue
    else {
      throw ConfigurationError(setting: "LEDGER_PATH", reason: "directory \(parent) does not exist")
    }
    return path
  }

  /// `TENANTS`: required; comma-separated organization UUIDs (blank entries ignored), lower-cased.
  static func parseTenants(_ value: String?) throws(ConfigurationError) -> Set<String> {
    guard let value else {
      throw ConfigurationError(setting: "TENANTS", reason: "required (comma-separated organization UUIDs)")
    }
    var tenants: Set<String> = []
    for part in value.split(separator: ",") {
      let candidate = part.trimmingCharacters(in: .whitespaces)
      if candidate.isEmpty { continue }
      guard candidate.count == 36, UUID(uuidString: candidate) != nil else {
        throw ConfigurationError(setting: "TENANTS", reason: "\"\(candidate)\" is not a UUID")
      }
      tenants.insert(candidate.lowercased())
    }
    guard !tenants.isEmpty else {
      throw ConfigurationError(setting: "TENANTS", reason: "lists no organization UUID")
    }
    return tenants
  }

  /// An optional integer setting within `range`.
  static func parseInteger(
    _ value: String?, _ setting: ConfigurationSetting, range: ClosedRange<Int>
  ) throws(ConfigurationError) -> Int? {
    guard let value else { return nil }
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard let number = Int(trimmed), range.contains(number) else {
      throw ConfigurationError(
        setting: setting.environmentName,
        reason: "\"\(trimmed)\" is not an integer in \(range.lowerBound)...\(range.upperBound)")
    }
    return number
  }

  /// `CONFIG_FILE`: reads at most ``maximumConfigFileSize`` bytes that must parse as a JSON object.
  static func loadJSONObject(_ path: String) throws(ConfigurationError) -> [UInt8] {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? Int, size > maximumConfigFileSize {
      throw ConfigurationError(
        setting: "CONFIG_FILE", reason: "\(path) is larger than \(maximumConfigFileSize) bytes")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigurationError(setting: "CONFIG_FILE", reason: "could not read \(path)")
    }
    guard data.count <= maximumConfigFileSize else {
      throw ConfigurationError(
        setting: "CONFIG_FILE", reason: "\(path) is larger than \(maximumConfigFileSize) bytes")
    }
    let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    guard parsed is [String: Any] else {
      throw ConfigurationError(setting: "CONFIG_FILE", reason: "\(path) is not a JSON object")
    }
    return [UInt8](data)
  }

  /// `LOG_LEVEL`: one of swift-log's levels (case-insensitive), default `info`.
  static func parseLogLevel(_ value: String?) throws(ConfigurationError) -> Logger.Level {
    guard let value else { return .info }
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard let level = Logger.Level(rawValue: trimmed.lowercased()) else {
      let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: "|")
      throw ConfigurationError(setting: "LOG_LEVEL", reason: "\"\(trimmed)\" is not one of \(levels)")
    }
    return level
  }

  /// `LOG_FORMAT`: `json` or `text` (case-insensitive), default `json`.
  static func parseLogFormat(_ value: String?) throws(ConfigurationError) -> LogFormat {
    guard let value else { return .json }
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard let format = LogFormat(rawValue: trimmed.lowercased()) else {
      throw ConfigurationError(setting: "LOG_FORMAT", reason: "\"\(trimmed)\" is not one of json|text")
    }
    return format
  }

  /// `SHUTDOWN_TIMEOUT_S`: seconds (decimals allowed), more than 0 and at most 3600, default 25.
  static func parseShutdownTimeout(_ value: String?) throws(ConfigurationError) -> Duration {
    guard let value else { return defaultShutdownTimeout }
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    guard let seconds = Double(trimmed), seconds.isFinite, seconds > 0, seconds <= 3600 else {
      throw ConfigurationError(
        setting: "SHUTDOWN_TIMEOUT_S", reason: "\"\(trimmed)\" is not a number of seconds in (0, 3600]")
    }
    let milliseconds = Int64((seconds * 1000).rounded())
    guard milliseconds >= 1 else {
      throw ConfigurationError(setting: "SHUTDOWN_TIMEOUT_S", reason: "must be at least 0.001 seconds")
    }
    return .milliseconds(milliseconds)
  }
}
