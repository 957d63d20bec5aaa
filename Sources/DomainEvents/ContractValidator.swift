/// Checks a parsed `data` object against its `ContractSpec`, field by field in table order, and
/// reports the first violation with the field's path. Messages never quote a value.
enum ContractValidator {
  /// Validates `data` against `spec`: the field table, then the equalities.
  static func validate(_ data: EventJSONValue, against spec: ContractSpec) throws(DomainEventError) {
    guard case .object(let members) = data else {
      throw DomainEventError.payload("data", "must be a JSON object")
    }
    try validateObject(members, fields: spec.fields, path: "")
    for equality in spec.equalities {
      guard case .string(let left)? = lookup(equality.path, in: members),
        case .string(let right)? = lookup(equality.otherPath, in: members)
      else { continue }  // both are required UUIDs: already reported above if absent
      guard sameIdentifier(left, right) else {
        throw DomainEventError.payload(equality.path, "must equal \(equality.otherPath)")
      }
    }
  }

  /// True when two identifiers are equal (UUIDs ignore case).
  static func sameIdentifier(_ left: String, _ right: String) -> Bool {
    if ContractFormat.isUUID(left), ContractFormat.isUUID(right) {
      // Both are 36 ASCII bytes, so comparing their lowercased forms is a byte comparison.
      func same(_ left: some Sequence<UInt8>, _ right: some Sequence<UInt8>) -> Bool {
        left.elementsEqual(right) { asciiLowercase($0) == asciiLowercase($1) }
      }
      let contiguous = left.utf8.withContiguousStorageIfAvailable { left in
        right.utf8.withContiguousStorageIfAvailable { right in same(left, right) }
      }
      return (contiguous ?? nil) ?? same(left.utf8, right.utf8)
    }
    return left == right
  }

  private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  private static func validateObject(
    _ members: [String: EventJSONValue], fields: [FieldSpec], path: String
  ) throws(DomainEventError) {
    for field in fields {
      let fieldPath = FieldPath.member(parent: path, name: field.name)
      guard let value = members[field.name], value != .null else {
        if field.isRequired {
          throw DomainEventError.payload(fieldPath.text, "is required (missing or null)")
        }
        continue
      }
      try validateValue(value, type: field.type, path: fieldPath)
    }
  }

  /// A field's path, spelled out only for an error message (or a nested object or array).
  private enum FieldPath {
    /// `name` in the object at `parent` ("" at the top).
    case member(parent: String, name: String)
    /// Item `index` of the array at `parent`.
    case element(parent: String, index: Int)

    var text: String {
      switch self {
      case .member(let parent, let name): return parent.isEmpty ? name : "\(parent).\(name)"
      case .element(let parent, let index): return "\(parent)[\(index)]"
      }
    }
  }

  private static func validateValue(_ value: EventJSONValue, type: FieldType, path: FieldPath)
    throws(DomainEventError)
  {
    func fail(_ reason: String) -> DomainEventError { DomainEventError.payload(path.text, reason) }
    func string() throws(DomainEventError) -> String {
      guard case .string(let text) = value else { throw fail("must be a string, not \(value.typeName)") }
      return text
    }

    switch type {
    case .uuid:
      guard ContractFormat.isUUID(try string()) else { throw fail("must be a UUID (8-4-4-4-12 hex digits)") }
    case .string(let minLength, let maxLength):
      let length = try string().unicodeScalars.count
      if length < minLength {
        throw fail(minLength == 1 ? "must not be empty" : "must have at least \(minLength) characters")
      }
      if let maxLength, length > maxLength { throw fail("must have at most \(maxLength) characters") }
    case .constant(let expected):
      guard try string() == expected else { throw fail("must be \"\(expected)\"") }
    case .enumeration(let allowed):
      guard allowed.contains(try string()) else {
        throw fail("must be one of: \(allowed.joined(separator: ", "))")
      }
    case .date:
      guard ContractFormat.date(try string()) != nil else {
        throw fail("must be an ISO date YYYY-MM-DD (a real calendar date)")
      }
    case .dateTime:
      guard ContractFormat.dateTime(try string()) != nil else {
        throw fail("must be an ISO 8601 / RFC 3339 date-time with offset")
      }
    case .dateOrDateTime:
      guard ContractFormat.isDateOrDateTime(try string()) else {
        throw fail("must be an ISO date YYYY-MM-DD or an RFC 3339 date-time")
      }
    case .boolean:
      guard case .bool = value else { throw fail("must be a boolean, not \(value.typeName)") }
    case .integer(let minimum, let maximum):
      guard case .integer(let number) = value else { throw fail("must be an integer, not \(value.typeName)") }
      if let minimum, number < minimum { throw fail("must be ≥ \(minimum)") }
      if let maximum, number > maximum { throw fail("must be ≤ \(maximum)") }
    case .integerConstant(let expected):
      guard case .integer(let number) = value, number == expected else { throw fail("must be \(expected)") }
    case .number(let minimum):
      let number: Double
      switch value {
      case .integer(let integer): number = Double(integer)
      case .number(let double): number = double
      default: throw fail("must be a number, not \(value.typeName)")
      }
      if let minimum, number < minimum { throw fail("must be ≥ \(formatted(minimum))") }
    case .array(let element, let minItems):
      guard case .array(let items) = value else { throw fail("must be an array, not \(value.typeName)") }
      if items.count < minItems {
        throw fail("must have at least \(minItems) item\(minItems == 1 ? "" : "s")")
      }
      let arrayPath = items.isEmpty ? "" : path.text
      for (index, item) in items.enumerated() {
        try validateValue(item, type: element, path: .element(parent: arrayPath, index: index))
      }
    case .object(let fields):
      guard case .object(let members) = value else { throw fail("must be an object, not \(value.typeName)") }
      try validateObject(members, fields: fields, path: path.text)
    case .anyObject:
      guard case .object = value else { throw fail("must be an object, not \(value.typeName)") }
    }
  }

  /// The value at a dotted path of plain member names.
  private static func lookup(_ path: String, in members: [String: EventJSONValue]) -> EventJSONValue? {
    var current = EventJSONValue.object(members)
    for name in path.split(separator: ".") {
      guard case .object(let object) = current, let next = object[String(name)] else { return nil }
      current = next
    }
    return current
  }

  static func formatted(_ number: Double) -> String {
    number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
  }
}
