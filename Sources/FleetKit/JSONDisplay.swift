import StreamTopology

/// Human-readable rendering of JetStream infos for the `info` verbs.
enum JSONDisplay {
  /// Config/state keys whose values are nanosecond durations.
  static let durationKeys: Set<String> = [
    "max_age", "duplicate_window", "ack_wait", "inactive_threshold", "idle_heartbeat", "max_expires",
    "subject_delete_marker_ttl",
  ]

  /// `key: value` lines of an object's members, sorted by key, indented by `indent` spaces;
  /// nested objects and arrays are written as compact JSON; durations get a readable suffix.
  static func lines(_ value: JSONValue?, indent: Int = 2) -> [String] {
    guard let members = value?.objectValue else { return [] }
    let pad = String(repeating: " ", count: indent)
    return members.keys.sorted().compactMap { key in
      guard let member = members[key] else { return nil }
      var text = scalarText(member)
      if durationKeys.contains(key), let nanoseconds = member.int64Value, nanoseconds > 0 {
        text += " (\(duration(nanoseconds: nanoseconds)))"
      }
      return "\(pad)\(key): \(text)"
    }
  }

  /// A string as itself, everything else as compact JSON.
  static func scalarText(_ value: JSONValue) -> String {
    if let text = value.stringValue { return text }
    return value.serializedString()
  }

  /// `1y2d3h4m5s`-style text of a nanosecond span (milliseconds below one second).
  static func duration(nanoseconds: Int64) -> String {
    if nanoseconds < 1_000_000_000 { return "\(nanoseconds / 1_000_000)ms" }
    var seconds = nanoseconds / 1_000_000_000
    let units: [(String, Int64)] = [("y", 365 * 86_400), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
    var text = ""
    for (unit, size) in units where seconds >= size {
      text += "\(seconds / size)\(unit)"
      seconds %= size
    }
    return text
  }
}
