import Logging

extension FleetLogHandler {
  /// One JSON object and a newline: record fields first, then the flattened metadata sorted by key.
  static func jsonLine(
    timestamp: String, level: Logger.Level, message: String, label: String, source: String,
    error: String?, metadata: Logger.Metadata
  ) -> String {
    var line = "{\"ts\":\(jsonString(timestamp)),\"level\":\(jsonString(level.rawValue))"
    line += ",\"msg\":\(jsonString(message)),\"logger\":\(jsonString(label))"
    line += ",\"source\":\(jsonString(source))"
    if let error { line += ",\"error\":\(jsonString(error))" }
    for (key, value) in flattened(metadata) {
      line += ",\(jsonString(key)):\(jsonValue(value))"
    }
    return line + "}\n"
  }

  /// `2025-01-31T12:34:56.789Z info [label] message key=value key2="a b"` and a newline.
  static func textLine(
    timestamp: String, level: Logger.Level, message: String, label: String, error: String?,
    metadata: Logger.Metadata
  ) -> String {
    var line = "\(timestamp) \(level.rawValue) [\(label)] \(singleLine(message))"
    if let error { line += " error=\(textValue(error))" }
    for (key, value) in flattened(metadata) {
      let text: String
      switch value {
      case .array: text = jsonValue(value)
      default: text = textValue(value.description)
      }
      line += " \(key)=\(text)"
    }
    return line + "\n"
  }

  /// Top-level pairs sorted by key: nested dictionaries become `outer.inner`, reserved keys `meta.<key>`.
  static func flattened(_ metadata: Logger.Metadata) -> [(String, Logger.Metadata.Value)] {
    var pairs: [(String, Logger.Metadata.Value)] = []
    func visit(_ metadata: Logger.Metadata, prefix: String) {
      for (key, value) in metadata {
        let path = prefix.isEmpty ? key : "\(prefix).\(key)"
        if case .dictionary(let nested) = value {
          visit(nested, prefix: path)
        } else {
          pairs.append((reservedKeys.contains(path) ? "meta.\(path)" : path, value))
        }
      }
    }
    visit(metadata, prefix: "")
    return pairs.sorted { $0.0 < $1.0 }
  }

  /// A metadata value as JSON: strings as strings, arrays as arrays, dictionaries as objects.
  static func jsonValue(_ value: Logger.Metadata.Value) -> String {
    switch value {
    case .string(let string):
      return jsonString(string)
    case .stringConvertible(let convertible):
      return jsonString(convertible.description)
    case .array(let elements):
      return "[" + elements.map(jsonValue).joined(separator: ",") + "]"
    case .dictionary(let dictionary):
      let members = dictionary.keys.sorted().compactMap { key in
        dictionary[key].map { "\(jsonString(key)):\(jsonValue($0))" }
      }
      return "{" + members.joined(separator: ",") + "}"
    }
  }

  /// `text` as a JSON string literal.
  static func jsonString(_ text: String) -> String {
    JSONText.quoted(text)
  }

  /// A text-format value: bare when it is a plain token, otherwise a JSON string literal.
  static func textValue(_ text: String) -> String {
    let plain =
      !text.isEmpty
      && text.unicodeScalars.allSatisfy { scalar in
        scalar.value > 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "=" && scalar != "\\"
      }
    return plain ? text : jsonString(text)
  }

  /// `text` with line breaks written as `\n` / `\r`, so one record stays one line.
  static func singleLine(_ text: String) -> String {
    guard text.contains(where: { $0.isNewline }) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
