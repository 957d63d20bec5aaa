import Foundation

/// The machine-readable catalog: one JSON Schema (draft 2020-12) per kind, generated from the same
/// contract table that drives `DomainEventDecoder`'s validation, so schema and validation cannot
/// drift. The files live in docs/contracts/ and a test keeps them up to date.
public enum EventCatalog {
  /// Every kind, in declaration order.
  public static var all: [DomainEventKind] { DomainEventKind.allCases }

  /// The contract table, built once.
  static let specs: [DomainEventKind: ContractSpec] = Dictionary(
    uniqueKeysWithValues: DomainEventKind.allCases.map { ($0, ContractSpec.spec(for: $0)) })

  /// The file name of a kind's schema: `<raw value>.schema.json`.
  public static func schemaFileName(for kind: DomainEventKind) -> String { "\(kind.rawValue).schema.json" }

  /// The JSON Schema of the CloudEvents `data` of `kind` (text ending in a newline).
  public static func jsonSchema(for kind: DomainEventKind) -> String {
    let spec = ContractSpec.spec(for: kind)
    var members: [(String, OrderedJSON)] = [
      ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
      ("$id", .string("urn:clinical-event-fleet:contract:\(kind.rawValue)")),
      ("title", .string(kind.rawValue)),
      (
        "description",
        .string("\(spec.summary) CloudEvents data of \(kind.cloudEventType) (seed \(spec.seed)).")
      ),
    ]
    if kind.isDeprecated { members.append(("deprecated", .bool(true))) }
    members += [
      ("x-nats-subject", .string(kind.subject)),
      (
        "x-cloudevents",
        .object([
          ("type", .string(kind.cloudEventType)), ("source", .string(kind.cloudEventSource)),
          ("datacontenttype", .string("application/json")),
          ("id", .string(kind.isRegistration ? "UUID" : "metadata.event_id")),
        ])
      ),
      ("x-dedupe-key", .string(spec.dedupeKey)),
    ]
    if !spec.equalities.isEmpty {
      members.append(
        ("x-equal-fields", .array(spec.equalities.map { .array([.string($0.path), .string($0.otherPath)]) })))
    }
    members += objectSchema(spec.fields)
    return OrderedJSON.object(members).rendered() + "\n"
  }

  /// Writes every kind's schema into `directory` (created if needed) as `schemaFileName(for:)`.
  public static func writeSchemas(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for kind in all {
      let url = directory.appendingPathComponent(schemaFileName(for: kind))
      try Data(jsonSchema(for: kind).utf8).write(to: url, options: .atomic)
    }
  }

  /// Dotted paths of every required field of `kind`'s data, nested objects included
  /// (`payload.entity_id`, `matches[].id`).
  public static func requiredFields(for kind: DomainEventKind) -> [String] {
    func walk(_ fields: [FieldSpec], prefix: String) -> [String] {
      fields.flatMap { field -> [String] in
        let path = prefix + field.name
        var paths = field.isRequired ? [path] : []
        switch field.type {
        case .object(let children): paths += walk(children, prefix: path + ".")
        case .array(.object(let children), _): paths += walk(children, prefix: path + "[].")
        default: break
        }
        return paths
      }
    }
    return walk(ContractSpec.spec(for: kind).fields, prefix: "")
  }

  // MARK: schema pieces

  static let uuidPattern =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
  static let datePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
  static let dateTimePattern =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"

  private static func objectSchema(_ fields: [FieldSpec]) -> [(String, OrderedJSON)] {
    var members: [(String, OrderedJSON)] = [("type", .string("object"))]
    let required = fields.filter(\.isRequired).map { OrderedJSON.string($0.name) }
    if !required.isEmpty { members.append(("required", .array(required))) }
    members.append(("properties", .object(fields.map { ($0.name, .object(propertySchema($0))) })))
    members.append(("additionalProperties", .bool(true)))
    return members
  }

  private static func propertySchema(_ field: FieldSpec) -> [(String, OrderedJSON)] {
    var members: [(String, OrderedJSON)] = []
    if !field.note.isEmpty { members.append(("description", .string(field.note))) }
    if field.isRequired {
      members += typeSchema(field.type)
    } else {
      members.append(
        ("anyOf", .array([.object(typeSchema(field.type)), .object([("type", .string("null"))])])))
    }
    return members
  }

  private static func typeSchema(_ type: FieldType) -> [(String, OrderedJSON)] {
    switch type {
    case .uuid:
      return [("type", .string("string")), ("format", .string("uuid")), ("pattern", .string(uuidPattern))]
    case .string(let minLength, let maxLength):
      var members: [(String, OrderedJSON)] = [("type", .string("string"))]
      if minLength > 0 { members.append(("minLength", .integer(Int64(minLength)))) }
      if let maxLength { members.append(("maxLength", .integer(Int64(maxLength)))) }
      return members
    case .constant(let value):
      return [("type", .string("string")), ("const", .string(value))]
    case .enumeration(let values):
      return [("type", .string("string")), ("enum", .array(values.map { .string($0) }))]
    case .date:
      return [("type", .string("string")), ("format", .string("date")), ("pattern", .string(datePattern))]
    case .dateTime:
      return [
        ("type", .string("string")), ("format", .string("date-time")), ("pattern", .string(dateTimePattern)),
      ]
    case .dateOrDateTime:
      return [
        ("type", .string("string")),
        (
          "anyOf",
          .array([
            .object([("format", .string("date")), ("pattern", .string(datePattern))]),
            .object([("format", .string("date-time")), ("pattern", .string(dateTimePattern))]),
          ])
        ),
      ]
    case .boolean:
      return [("type", .string("boolean"))]
    case .integer(let minimum, let maximum):
      var members: [(String, OrderedJSON)] = [("type", .string("integer"))]
      if let minimum { members.append(("minimum", .integer(minimum))) }
      if let maximum { members.append(("maximum", .integer(maximum))) }
      return members
    case .integerConstant(let value):
      return [("type", .string("integer")), ("const", .integer(value))]
    case .number(let minimum):
      var members: [(String, OrderedJSON)] = [("type", .string("number"))]
      if let minimum { members.append(("minimum", .number(minimum))) }
      return members
    case .array(let element, let minItems):
      var members: [(String, OrderedJSON)] = [
        ("type", .string("array")), ("items", .object(typeSchema(element))),
      ]
      if minItems > 0 { members.append(("minItems", .integer(Int64(minItems)))) }
      return members
    case .object(let fields):
      return objectSchema(fields)
    case .anyObject:
      return [("type", .string("object"))]
    }
  }
}
