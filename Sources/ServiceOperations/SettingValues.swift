/// The raw value of each setting after merging: a command-line flag beats its environment variable, and a
/// value that is empty or only blanks counts as not set.
struct SettingValues: Sendable {
  /// Values from the environment, by variable name.
  let environment: [String: String]
  /// Values from the command line, by variable name (already mapped from the flag).
  let flags: [String: String]

  /// The effective value of `setting`, or `nil` when it is not set.
  func value(_ setting: ConfigurationSetting) -> String? {
    let raw = flags[setting.environmentName] ?? environment[setting.environmentName]
    guard let raw, raw.contains(where: { !$0.isWhitespace }) else { return nil }
    return raw
  }
}
