/// Internal: decodes a `Decodable` contract type from an already parsed `EventJSONValue`, so the
/// bytes of `data` are parsed once (by `EventJSONParser`) instead of once per `JSONDecoder` pass.
///
/// It answers only what it knows `JSONDecoder` answers the same way for the JSON the tree came
/// from: `String`, `Bool`, `Int`, `Int64`, `Double`, arrays, optionals, nested structs and
/// `EventJSONValue` / `[String: EventJSONValue]`. Everything else, and every failure, throws
/// `EventJSONValueDecodingFailure`; the caller then decodes with `JSONDecoder`, which produces
/// the value or the error (with its coding path) exactly as before.
struct EventJSONValueDecoder: Decoder, SingleValueDecodingContainer {
  let value: EventJSONValue
  /// The path of the container holding `value`, and `value`'s key in it; `codingPath` is only
  /// assembled when asked for (synthesized `Decodable` code never asks).
  private let parentPath: [any CodingKey]
  private let key: (any CodingKey)?

  init(value: EventJSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) {
    self.value = value
    self.parentPath = parentPath
    self.key = key
  }

  var codingPath: [any CodingKey] {
    guard let key else { return parentPath }
    return parentPath + [key]
  }

  var userInfo: [CodingUserInfoKey: Any] { [:] }

  /// Decodes `type` from `value`.
  static func decode<T: Decodable>(_ type: T.Type, from value: EventJSONValue) throws -> T {
    try EventJSONValueDecoder(value: value, parentPath: [], key: nil).decode(type)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let members) = value else { throw failure("not an object") }
    return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else { throw failure("not an array") }
    return UnkeyedContainer(items: items, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

  // MARK: SingleValueDecodingContainer

  func decodeNil() -> Bool {
    if case .null = value { return true }
    return false
  }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard case .bool(let bool) = value else { throw failure("not a boolean") }
    return bool
  }

  func decode(_ type: String.Type) throws -> String {
    guard case .string(let string) = value else { throw failure("not a string") }
    return string
  }

  func decode(_ type: Int64.Type) throws -> Int64 { try Self.int64(value) }
  func decode(_ type: Int.Type) throws -> Int { try Self.int(value) }
  func decode(_ type: Double.Type) throws -> Double { try Self.double(value) }

  static func int64(_ value: EventJSONValue) throws -> Int64 {
    guard case .integer(let integer) = value else {
      throw EventJSONValueDecodingFailure(reason: "not an integer")
    }
    return integer
  }

  static func int(_ value: EventJSONValue) throws -> Int {
    guard case .integer(let integer) = value, let result = Int(exactly: integer) else {
      throw EventJSONValueDecodingFailure(reason: "not an integer")
    }
    return result
  }

  static func double(_ value: EventJSONValue) throws -> Double {
    // `EventJSONParser` only builds `.integer` from literals whose `Double` reading is exact.
    switch value {
    case .integer(let integer): return Double(integer)
    case .number(let number): return number
    default: throw EventJSONValueDecodingFailure(reason: "not a number")
    }
  }

  func decode(_ type: Float.Type) throws -> Float { throw unsupported }
  func decode(_ type: Int8.Type) throws -> Int8 { throw unsupported }
  func decode(_ type: Int16.Type) throws -> Int16 { throw unsupported }
  func decode(_ type: Int32.Type) throws -> Int32 { throw unsupported }
  func decode(_ type: UInt.Type) throws -> UInt { throw unsupported }
  func decode(_ type: UInt8.Type) throws -> UInt8 { throw unsupported }
  func decode(_ type: UInt16.Type) throws -> UInt16 { throw unsupported }
  func decode(_ type: UInt32.Type) throws -> UInt32 { throw unsupported }
  func decode(_ type: UInt64.Type) throws -> UInt64 { throw unsupported }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if T.self == EventJSONValue.self, let result = value as? T { return result }
    if T.self == [String: EventJSONValue].self {
      guard case .object(let members) = value, let result = members as? T else {
        throw failure("not an object")
      }
      return result
    }
    if T.self == [String].self {
      guard case .array(let items) = value else { throw failure("not an array") }
      var strings: [String] = []
      strings.reserveCapacity(items.count)
      for item in items {
        guard case .string(let string) = item else { throw failure("not a string") }
        strings.append(string)
      }
      if let result = strings as? T { return result }
    }
    return try T(from: self)
  }

  func failure(_ reason: String) -> EventJSONValueDecodingFailure {
    EventJSONValueDecodingFailure(reason: reason)
  }

  private var unsupported: EventJSONValueDecodingFailure { failure("unsupported request") }
}

/// Why `EventJSONValueDecoder` gave up; the caller falls back to `JSONDecoder`.
struct EventJSONValueDecodingFailure: Error {
  /// What was not supported or did not match.
  let reason: String
}

extension EventJSONValueDecoder {
  /// The members of an object, by key.
  struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: EventJSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> EventJSONValueDecoder {
      guard let value = members[key.stringValue] else {
        throw EventJSONValueDecodingFailure(reason: "missing member")
      }
      return EventJSONValueDecoder(value: value, parentPath: codingPath, key: key)
    }

    /// The member's value; absent and `null` are both `nil` (what `decodeIfPresent` needs).
    private func presentValue(_ key: Key) -> EventJSONValue? {
      guard let value = members[key.stringValue] else { return nil }
      if case .null = value { return nil }
      return value
    }

    private func value(_ key: Key) throws -> EventJSONValue {
      guard let value = members[key.stringValue] else {
        throw EventJSONValueDecodingFailure(reason: "missing member")
      }
      return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
      if case .null = try value(key) { return true }
      return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
      guard case .bool(let bool) = try value(key) else { throw mismatch }
      return bool
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
      guard case .string(let string) = try value(key) else { throw mismatch }
      return string
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
      try EventJSONValueDecoder.double(value(key))
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try EventJSONValueDecoder.int(value(key)) }

    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
      try EventJSONValueDecoder.int64(value(key))
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decode(type) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
      guard let value = presentValue(key) else { return nil }
      guard case .bool(let bool) = value else { throw mismatch }
      return bool
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
      guard let value = presentValue(key) else { return nil }
      guard case .string(let string) = value else { throw mismatch }
      return string
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
      guard presentValue(key) != nil else { return nil }
      return try member(key).decode(type)
    }

    private var mismatch: EventJSONValueDecodingFailure {
      EventJSONValueDecodingFailure(reason: "type mismatch")
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw unsupported }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw unsupported }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw unsupported }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { throw unsupported }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw unsupported }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw unsupported }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw unsupported }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { throw unsupported }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { throw unsupported }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try member(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { throw unsupported }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw unsupported }

    private var unsupported: EventJSONValueDecodingFailure {
      EventJSONValueDecodingFailure(reason: "unsupported request")
    }
  }

  /// The items of an array, in order.
  struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [EventJSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(items: [EventJSONValue], codingPath: [any CodingKey]) {
      self.items = items
      self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> EventJSONValueDecoder {
      guard currentIndex < items.count else { throw EventJSONValueDecodingFailure(reason: "at end") }
      let decoder = EventJSONValueDecoder(
        value: items[currentIndex], parentPath: codingPath, key: IndexKey(intValue: currentIndex))
      currentIndex += 1
      return decoder
    }

    mutating func decodeNil() throws -> Bool {
      guard currentIndex < items.count else { throw EventJSONValueDecodingFailure(reason: "at end") }
      guard case .null = items[currentIndex] else { return false }
      currentIndex += 1
      return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func decode(_ type: Float.Type) throws -> Float { throw unsupported }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { throw unsupported }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { throw unsupported }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { throw unsupported }
    mutating func decode(_ type: UInt.Type) throws -> UInt { throw unsupported }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { throw unsupported }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { throw unsupported }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { throw unsupported }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { throw unsupported }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { throw unsupported }

    private var unsupported: EventJSONValueDecodingFailure {
      EventJSONValueDecodingFailure(reason: "unsupported request")
    }
  }

  /// The coding key of an array element.
  struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
  }
}
