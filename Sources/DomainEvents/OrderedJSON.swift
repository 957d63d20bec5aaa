/// A JSON value that keeps member order, rendered with two-space indentation; arrays of scalars
/// stay on one line. Used to write the JSON Schemas deterministically.
indirect enum OrderedJSON: Sendable {
  case string(String)
  case integer(Int64)
  case number(Double)
  case bool(Bool)
  case null
  case array([OrderedJSON])
  case object([(String, OrderedJSON)])

  /// The pretty-printed text.
  func rendered(indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent)
    let innerPad = String(repeating: " ", count: indent + 2)
    switch self {
    case .string(let text): return Self.quoted(text)
    case .integer(let value): return String(value)
    case .number(let value): return ContractValidator.formatted(value)
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    case .array(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy(\.isScalar) {
        return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
      }
      return "[\n" + items.map { innerPad + $0.rendered(indent: indent + 2) }.joined(separator: ",\n")
        + "\n\(pad)]"
    case .object(let members):
      if members.isEmpty { return "{}" }
      let lines = members.map { "\(innerPad)\(Self.quoted($0.0)): \($0.1.rendered(indent: indent + 2))" }
      return "{\n" + lines.joined(separator: ",\n") + "\n\(pad)}"
    }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  /// A JSON string literal (control characters escaped, other Unicode kept as is).
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16, uppercase: false)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
