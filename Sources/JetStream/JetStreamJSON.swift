import Foundation

/// JSON helpers shared by the API calls: encoding of request bodies, decoding of responses with
/// the `{"error": {...}}` envelope checked first. Every JetStream type spells out its snake_case
/// keys in `CodingKeys`, so no key strategy is involved.
enum JetStreamJSON {
  /// Encodes a request body.
  static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return Array(try encoder.encode(value))
    } catch {
      throw JetStreamError(.invalidArgument, "cannot encode \(T.self)", cause: error)
    }
  }

  /// Decodes a value, mapping decoding failures to `JetStreamError(.invalidResponse)`.
  static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], context: String) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: Data(bytes))
    } catch {
      throw JetStreamError(
        .invalidResponse, "cannot decode \(T.self) from the \(context) response", cause: error)
    }
  }

  /// Throws the API error if the response is `{"error": {...}}`; otherwise returns normally.
  static func checkError(_ bytes: [UInt8], context: String) throws {
    let envelope: ErrorEnvelope
    do {
      envelope = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(bytes))
    } catch {
      throw JetStreamError(.invalidResponse, "the \(context) response is not a JSON object", cause: error)
    }
    if let error = envelope.error { throw error }
  }

  /// Checks the error envelope, then decodes `T`.
  static func decodeResponse<T: Decodable>(_ type: T.Type, from bytes: [UInt8], context: String) throws -> T {
    try checkError(bytes, context: context)
    return try decode(T.self, from: bytes, context: context)
  }

  /// The part of every API response that carries an error.
  struct ErrorEnvelope: Decodable {
    var error: JetStreamAPIError?
  }

  /// Parses a JSON object into a dictionary (for the raw-config calls); nil if it is not an object.
  static func object(_ bytes: [UInt8]) -> [String: Any]? {
    guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: []) else { return nil }
    return value as? [String: Any]
  }

  /// `value` as a JSON string literal (quotes and escapes included).
  static func quoted(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
