import ConsumerRuntime

/// Turns a `DecodingError` from the configuration file into a `ChargeCaptureConfigurationError`
/// with a dotted key path and a short reason (never a value from the file).
enum ConfigurationDecodingFailure {
  static func describe(_ error: DecodingError) -> ChargeCaptureConfigurationError {
    switch error {
    case .typeMismatch(let type, let context):
      return ChargeCaptureConfigurationError(
        path: path(context.codingPath), message: "has the wrong type (expected \(typeName(type)))")
    case .valueNotFound(let type, let context):
      return ChargeCaptureConfigurationError(
        path: path(context.codingPath), message: "must not be null (expected \(typeName(type)))")
    case .keyNotFound(let key, let context):
      return ChargeCaptureConfigurationError(path: path(context.codingPath + [key]), message: "is required")
    case .dataCorrupted(let context):
      let message = context.codingPath.isEmpty ? "is not valid JSON" : context.debugDescription
      return ChargeCaptureConfigurationError(path: path(context.codingPath), message: message)
    @unknown default:
      return ChargeCaptureConfigurationError(path: "", message: "cannot be decoded")
    }
  }

  static func path(_ codingPath: [any CodingKey]) -> String {
    ConfigurationKeys.path(codingPath)
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is Bool.Type: return "a boolean"
    case is Int.Type: return "an integer"
    case is String.Type: return "a string"
    default:
      let name = String(describing: type)
      if name.hasPrefix("Array") { return "an array" }
      if name.hasPrefix("Dictionary") { return "an object" }
      if name == "UnitRounding" { return "one of up, nearest, down" }
      return "an object"
    }
  }
}
