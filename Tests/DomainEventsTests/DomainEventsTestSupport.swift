import CloudEvents
import DomainEvents
import Foundation
import XCTest

/// Loads the seed fixtures (structured-mode CloudEvents JSON, one file per kind).
enum Fixtures {
  static func url(for kind: DomainEventKind) throws -> URL {
    let directory = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return directory.appendingPathComponent("\(kind.rawValue).json")
  }

  /// The fixture of `kind` as a CloudEvent, decoded by the CloudEvents JSON format.
  static func cloudEvent(_ kind: DomainEventKind) throws -> CloudEvent {
    let bytes = try Data(contentsOf: url(for: kind))
    return try CloudEventJSONFormat.decode(Array(bytes))
  }

  /// The fixture's `data` as a JSON value.
  static func data(_ kind: DomainEventKind) throws -> EventJSONValue {
    let event = try cloudEvent(kind)
    return try JSONDecoder().decode(EventJSONValue.self, from: Data(try XCTUnwrap(event.data)))
  }

  /// The fixture with its `data` replaced by `transform(data)`.
  static func cloudEvent(
    _ kind: DomainEventKind, transform: (EventJSONValue) -> EventJSONValue
  ) throws -> CloudEvent {
    var event = try cloudEvent(kind)
    event.data = try encode(transform(try data(kind)))
    return event
  }

  static func encode(_ value: EventJSONValue) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(value))
  }
}

/// The repository root, found from this source file (through the scratch package's symlinks).
enum Repository {
  static var root: URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }
}

/// Decodes and returns the error, failing the test when decoding succeeds.
func decodingError(
  _ event: CloudEvent, file: StaticString = #filePath, line: UInt = #line
) -> DomainEventError? {
  do {
    let decoded = try DomainEventDecoder.decode(event)
    XCTFail("decoded \(decoded.kind) although it should fail", file: file, line: line)
    return nil
  } catch {
    return error
  }
}

// MARK: paths like `payload.entity_id` and `matches[0].id`

enum PathComponent: Equatable {
  case key(String)
  case index(Int)

  static func parse(_ path: String) -> [PathComponent] {
    var components: [PathComponent] = []
    for part in path.split(separator: ".") {
      var rest = Substring(part)
      if let bracket = rest.firstIndex(of: "[") {
        components.append(.key(String(rest[..<bracket])))
        rest = rest[bracket...]
        while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
          components.append(.index(Int(rest[rest.index(after: rest.startIndex)..<close]) ?? 0))
          rest = rest[rest.index(after: close)...]
        }
      } else {
        components.append(.key(String(rest)))
      }
    }
    return components
  }
}

extension EventJSONValue {
  func value(at path: String) -> EventJSONValue? { value(at: PathComponent.parse(path)[...]) }

  func setting(_ path: String, to newValue: EventJSONValue?) -> EventJSONValue {
    replacing(PathComponent.parse(path)[...], with: newValue)
  }

  func removing(_ path: String) -> EventJSONValue { setting(path, to: nil) }

  private func value(at components: ArraySlice<PathComponent>) -> EventJSONValue? {
    guard let first = components.first else { return self }
    switch (self, first) {
    case (.object(let members), .key(let key)): return members[key]?.value(at: components.dropFirst())
    case (.array(let items), .index(let index)) where items.indices.contains(index):
      return items[index].value(at: components.dropFirst())
    default: return nil
    }
  }

  private func replacing(_ components: ArraySlice<PathComponent>, with newValue: EventJSONValue?)
    -> EventJSONValue
  {
    guard let first = components.first else { return newValue ?? .null }
    switch (self, first) {
    case (.object(var members), .key(let key)):
      if components.count == 1 {
        members[key] = newValue
      } else if let child = members[key] {
        members[key] = child.replacing(components.dropFirst(), with: newValue)
      }
      return .object(members)
    case (.array(var items), .index(let index)) where items.indices.contains(index):
      if components.count == 1 {
        if let newValue { items[index] = newValue } else { items.remove(at: index) }
      } else {
        items[index] = items[index].replacing(components.dropFirst(), with: newValue)
      }
      return .array(items)
    default:
      return self
    }
  }

  var objectMembers: [String: EventJSONValue]? {
    if case .object(let members) = self { return members }
    return nil
  }

  var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }
}

// MARK: walking a generated JSON Schema

/// One property of a schema, with the path it has in a concrete data object.
struct SchemaProperty {
  var path: String
  var isRequired: Bool
  /// The property's own schema with the optional `anyOf [T, null]` wrapper removed.
  var schema: [String: EventJSONValue]

  var format: String? { schema["format"]?.stringValue }
  var type: String? { schema["type"]?.stringValue }
  var isEnumerated: Bool { schema["enum"] != nil || schema["const"] != nil }
  var isDateOrDateTime: Bool {
    guard case .array(let options)? = schema["anyOf"] else { return false }
    return options.contains { $0.objectMembers?["format"]?.stringValue == "date" }
  }
}

enum SchemaWalker {
  static func schema(for kind: DomainEventKind) throws -> [String: EventJSONValue] {
    let value = try JSONDecoder().decode(
      EventJSONValue.self, from: Data(EventCatalog.jsonSchema(for: kind).utf8))
    return try XCTUnwrap(value.objectMembers)
  }

  /// Every property of `schema` as it appears in `data` (array items at index 0 when present).
  static func properties(of schema: [String: EventJSONValue], data: EventJSONValue, prefix: String = "")
    -> [SchemaProperty]
  {
    guard let properties = schema["properties"]?.objectMembers else { return [] }
    var required: Set<String> = []
    if case .array(let names)? = schema["required"] { required = Set(names.compactMap(\.stringValue)) }
    var result: [SchemaProperty] = []
    for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
      let path = prefix + name
      let effective = unwrapOptional(value.objectMembers ?? [:])
      result.append(SchemaProperty(path: path, isRequired: required.contains(name), schema: effective))
      result += nested(effective, path: path, data: data)
    }
    return result
  }

  private static func nested(_ schema: [String: EventJSONValue], path: String, data: EventJSONValue)
    -> [SchemaProperty]
  {
    switch schema["type"]?.stringValue {
    case "object":
      return properties(of: schema, data: data, prefix: path + ".")
    case "array":
      let itemPath = path + "[0]"
      guard data.value(at: itemPath) != nil, let items = schema["items"]?.objectMembers else { return [] }
      return [SchemaProperty(path: itemPath, isRequired: false, schema: items)]
        + nested(items, path: itemPath, data: data)
    default:
      return []
    }
  }

  private static func unwrapOptional(_ schema: [String: EventJSONValue]) -> [String: EventJSONValue] {
    guard case .array(let options)? = schema["anyOf"],
      options.contains(where: { $0.objectMembers?["type"]?.stringValue == "null" }),
      let first = options.first?.objectMembers
    else { return schema }
    var merged = first
    if let description = schema["description"] { merged["description"] = description }
    return merged
  }
}
