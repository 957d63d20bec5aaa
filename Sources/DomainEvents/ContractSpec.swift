/// One contract in the catalog: the field table of its CloudEvents `data` plus the rules that a
/// field table cannot express. This single table drives validation (`ContractValidator`), the JSON
/// Schemas (`EventCatalog.jsonSchema(for:)`) and the reference in docs/CONTRACTS.md, so they
/// cannot drift apart.
struct ContractSpec: Sendable {
  /// The event kind.
  let kind: DomainEventKind
  /// Seed file (and section) that specifies the contract.
  let seed: String
  /// One-line description.
  let summary: String
  /// The dedupe key rule, in words.
  let dedupeKey: String
  /// Fields of the data object.
  let fields: [FieldSpec]
  /// Pairs of field paths whose values must be equal (UUIDs compared case-insensitively).
  let equalities: [FieldEquality]
}

/// A rule "`path` must equal `otherPath`", for ids that the contract repeats.
struct FieldEquality: Sendable {
  let path: String
  let otherPath: String
}

/// One field of a contract object.
struct FieldSpec: Sendable {
  /// JSON member name (as in the seed).
  let name: String
  /// What the value must be.
  let type: FieldType
  /// A required field must be present and not null; an optional one may be absent or null.
  let isRequired: Bool
  /// Short description for the schema and the docs.
  let note: String

  static func required(_ name: String, _ type: FieldType, _ note: String = "") -> FieldSpec {
    FieldSpec(name: name, type: type, isRequired: true, note: note)
  }

  static func optional(_ name: String, _ type: FieldType, _ note: String = "") -> FieldSpec {
    FieldSpec(name: name, type: type, isRequired: false, note: note)
  }
}

/// The value rules a field can have.
indirect enum FieldType: Sendable {
  /// A UUID string (8-4-4-4-12 hex, either case).
  case uuid
  /// A string with a length range in Unicode scalars.
  case string(minLength: Int, maxLength: Int?)
  /// Exactly this string.
  case constant(String)
  /// One of these strings.
  case enumeration([String])
  /// `YYYY-MM-DD`, a real calendar date.
  case date
  /// An RFC 3339 date-time.
  case dateTime
  /// Either of the two above.
  case dateOrDateTime
  /// `true` or `false`.
  case boolean
  /// An integer within the bounds.
  case integer(minimum: Int64?, maximum: Int64?)
  /// Exactly this integer.
  case integerConstant(Int64)
  /// Any number at or above the minimum.
  case number(minimum: Double?)
  /// An array whose items all satisfy the element rule.
  case array(FieldType, minItems: Int)
  /// A nested object with its own field table (unknown members allowed).
  case object([FieldSpec])
  /// Any JSON object (extension points).
  case anyObject

  /// A non-empty string.
  static let text = FieldType.string(minLength: 1, maxLength: nil)
  /// An integer ≥ 0.
  static let count = FieldType.integer(minimum: 0, maximum: nil)
}
