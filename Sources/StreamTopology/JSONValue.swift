/// A JSON document held as a value: the shape of JetStream API request and response bodies.
///
/// Integral number literals are kept as ``int(_:)`` so large nanosecond durations (a 7-year
/// `max_age` is 2.2e17 ns) round-trip exactly; every other number is a ``number(_:)``.
public indirect enum JSONValue: Sendable, Hashable, Codable {
  /// JSON `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// An integral number literal that fits in 64 bits (no fraction, no exponent).
  case int(Int64)
  /// Any other number literal.
  case number(Double)
  /// A string.
  case string(String)
  /// An array, in document order.
  case array([JSONValue])
  /// An object; key order is not kept (serialization sorts keys by default).
  case object([String: JSONValue])

  /// The member named `key` of an object; `nil` when absent or when this is not an object.
  ///
  /// Setting a member of an object replaces it (`nil` removes it); setting on `null` turns the
  /// value into an object; setting on any other kind leaves the value unchanged.
  public subscript(key: String) -> JSONValue? {
    get {
      guard case .object(let members) = self else { return nil }
      return members[key]
    }
    set {
      switch self {
      case .object(var members):
        members[key] = newValue
        self = .object(members)
      case .null:
        if let newValue { self = .object([key: newValue]) }
      default:
        return
      }
    }
  }

  /// The element at `index` of an array; `nil` when out of range or when this is not an array.
  public subscript(index: Int) -> JSONValue? {
    guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
    return elements[index]
  }

  /// The string, when this is a string.
  public var stringValue: String? {
    guard case .string(let value) = self else { return nil }
    return value
  }

  /// The number as a 64-bit integer, when this is an integer or an integral number in range.
  public var int64Value: Int64? {
    switch self {
    case .int(let value):
      return value
    case .number(let value):
      guard value.isFinite, value.rounded() == value, value.magnitude < 9.2e18 else { return nil }
      return Int64(exactly: value)
    default:
      return nil
    }
  }

  /// The number as an `Int`, when this is an integer or an integral number in range.
  public var intValue: Int? {
    int64Value.flatMap { Int(exactly: $0) }
  }

  /// The number as a `Double`, when this is a number of either kind.
  public var doubleValue: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .number(let value): return value
    default: return nil
    }
  }

  /// The Boolean, when this is `true` or `false`.
  public var boolValue: Bool? {
    guard case .bool(let value) = self else { return nil }
    return value
  }

  /// The elements, when this is an array.
  public var arrayValue: [JSONValue]? {
    guard case .array(let value) = self else { return nil }
    return value
  }

  /// The members, when this is an object.
  public var objectValue: [String: JSONValue]? {
    guard case .object(let value) = self else { return nil }
    return value
  }

  /// Whether this is JSON `null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Decodes any JSON value from a `Decoder` (for example `JSONDecoder`).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else if let value = try? container.decode([String: JSONValue].self) {
      self = .object(value)
    } else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "The value is not a JSON null, Boolean, number, string, array or object.")
    }
  }

  /// Encodes the value into an `Encoder` (for example `JSONEncoder`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .int(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  /// `nil` is JSON `null`.
  public init(nilLiteral: ()) { self = .null }
  /// A Boolean literal.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  /// An integer literal is an ``int(_:)``.
  public init(integerLiteral value: Int64) { self = .int(value) }
  /// A floating-point literal is a ``number(_:)``.
  public init(floatLiteral value: Double) { self = .number(value) }
  /// A string literal.
  public init(stringLiteral value: String) { self = .string(value) }
  /// An array literal.
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  /// A dictionary literal is an object; a repeated key keeps its last value.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}
