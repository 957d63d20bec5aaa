/// A missing or invalid service setting, naming the setting and why it was refused.
///
/// `setting` is the environment variable name (for example `LEDGER_PATH`) for every setting, or the
/// flag as written (for example `--bogus`) for an unknown or malformed command-line argument.
/// `--help` is reported as ``helpRequested(usage:)``, whose ``reason`` is the usage text.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The environment variable (or command-line flag) the error is about.
  public var setting: String
  /// Why the value was refused, in words an operator can act on.
  public var reason: String

  /// Creates an error about `setting`.
  public init(setting: String, reason: String) {
    self.setting = setting
    self.reason = reason
  }

  /// The setting name used by ``helpRequested(usage:)``.
  public static let helpSetting = "--help"

  /// `--help` (or `-h`) was passed: not a failure, the caller prints ``reason`` (the usage text) and exits 0.
  public static func helpRequested(usage: String) -> ConfigurationError {
    ConfigurationError(setting: helpSetting, reason: usage)
  }

  /// True when this is ``helpRequested(usage:)`` rather than an invalid setting.
  public var isHelpRequest: Bool { setting == Self.helpSetting }

  /// The usage text for a help request, otherwise `invalid configuration: <setting>: <reason>`.
  public var description: String {
    isHelpRequest ? reason : "invalid configuration: \(setting): \(reason)"
  }
}
