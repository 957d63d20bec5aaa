extension MetricsRegistry {
  /// Appends `# HELP`, `# TYPE` and every series of one family, series sorted by label set.
  static func renderFamily(name: String, family: Family, into output: inout String) {
    output += "# HELP \(name) \(escapeHelp(family.help))\n"
    output += "# TYPE \(name) \(family.kind.rawValue)\n"
    for labels in family.series.keys.sorted() {
      guard let instrument = family.series[labels] else { continue }
      switch instrument {
      case .counter(let counter):
        output += "\(name)\(braced(labels)) \(counter.value)\n"
      case .gauge(let gauge):
        output += "\(name)\(braced(labels)) \(formatValue(gauge.value))\n"
      case .histogram(let histogram):
        let snapshot = histogram.snapshot()
        let bounds = histogram.upperBounds.map(formatValue) + ["+Inf"]
        let prefix = labels.isEmpty ? "" : labels + ","
        for (bound, count) in zip(bounds, snapshot.cumulativeCounts) {
          output += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(count)\n"
        }
        output += "\(name)_sum\(braced(labels)) \(formatValue(snapshot.sum))\n"
        output += "\(name)_count\(braced(labels)) \(snapshot.count)\n"
      }
    }
  }

  /// `a="1",b="2"`: names sanitised and sorted, values escaped. A histogram's `le` label is renamed `_le`.
  static func renderLabels(_ labels: [String: String], forHistogram: Bool) -> String {
    var sanitized: [String: String] = [:]
    for (name, value) in labels {
      var labelName = sanitizedLabelName(name)
      if forHistogram && labelName == "le" { labelName = "_le" }
      sanitized[labelName] = value
    }
    return sanitized.keys.sorted().map { name in
      "\(name)=\"\(escapeLabelValue(sanitized[name] ?? ""))\""
    }.joined(separator: ",")
  }

  /// `{labels}`, or nothing when there are none.
  static func braced(_ labels: String) -> String {
    labels.isEmpty ? "" : "{\(labels)}"
  }

  /// A sample value as Prometheus reads it: integers without a fraction, `NaN`, `+Inf`, `-Inf`.
  static func formatValue(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value == .infinity { return "+Inf" }
    if value == -.infinity { return "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// Label value escaping: `\` → `\\`, `"` → `\"`, newline → `\n`.
  static func escapeLabelValue(_ value: String) -> String {
    var escaped = ""
    for character in value {
      switch character {
      case "\\": escaped += "\\\\"
      case "\"": escaped += "\\\""
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// `# HELP` escaping: `\` → `\\`, newline → `\n`.
  static func escapeHelp(_ help: String) -> String {
    var escaped = ""
    for character in help {
      switch character {
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, other characters replaced by `_`.
  static func sanitizedMetricName(_ name: String) -> String {
    sanitized(name, allowColon: true)
  }

  /// `[a-zA-Z_][a-zA-Z0-9_]*`, other characters replaced by `_`.
  static func sanitizedLabelName(_ name: String) -> String {
    sanitized(name, allowColon: false)
  }

  private static func sanitized(_ name: String, allowColon: Bool) -> String {
    var result = ""
    for scalar in name.unicodeScalars {
      let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
      let isDigit = ("0"..."9").contains(scalar)
      if isLetter || (allowColon && scalar == ":") || (isDigit && !result.isEmpty) {
        result.unicodeScalars.append(scalar)
      } else if isDigit {
        result += "_" + String(scalar)
      } else {
        result += "_"
      }
    }
    return result.isEmpty ? "_" : result
  }
}
