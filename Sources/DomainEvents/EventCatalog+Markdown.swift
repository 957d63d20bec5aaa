import Foundation

/// The per-contract reference of docs/CONTRACTS.md, generated from the contract table.
extension EventCatalog {
  /// Marker lines that enclose the generated part of docs/CONTRACTS.md.
  public static let markdownBeginMarker =
    "<!-- BEGIN GENERATED CONTRACT REFERENCE (EventCatalog.markdownReference) -->"
  /// See `markdownBeginMarker`.
  public static let markdownEndMarker = "<!-- END GENERATED CONTRACT REFERENCE -->"

  /// One section per contract: subject, CloudEvents type and source, dedupe key, every field with
  /// its required flag and rule (enumerations and constants included), and the equal-id rules.
  public static func markdownReference() -> String {
    var out: [String] = []
    var lastGroup = ""
    for kind in all {
      let spec = ContractSpec.spec(for: kind)
      let group = groupTitle(kind)
      if group != lastGroup {
        out += ["## \(group)", ""]
        lastGroup = group
      }
      out += ["### `\(kind.rawValue)`\(kind.isDeprecated ? " (deprecated)" : "")", ""]
      out += ["\(spec.summary) Seed: \(spec.seed). Swift case: `DomainEventKind.\(caseName(kind))`.", ""]
      out += [
        "| | |", "|---|---|",
        "| NATS subject | `\(kind.subject)` |",
        "| CloudEvents type | `\(kind.cloudEventType)` |",
        "| CloudEvents source | `\(kind.cloudEventSource)` |",
        "| CloudEvents id | \(kind.isRegistration ? "UUID" : "`metadata.event_id`") |",
        "| Channel / publisher | `\(kind.channel)` / `\(kind.publisher)` |",
        "| Dedupe key | `\(spec.dedupeKey)` |",
        "| JSON Schema | [contracts/\(schemaFileName(for: kind))](contracts/\(schemaFileName(for: kind))) |",
        "",
        "| Field | Required | Rule |", "|---|---|---|",
      ]
      out += rows(spec.fields, prefix: "")
      if !spec.equalities.isEmpty {
        let rules = spec.equalities.map { "`\($0.path)` = `\($0.otherPath)`" }.joined(separator: "; ")
        out += ["", "Equal ids: \(rules)."]
      }
      out.append("")
    }
    return out.joined(separator: "\n")
  }

  private static func groupTitle(_ kind: DomainEventKind) -> String {
    switch kind.channel {
    case "REGISTRATION": return "REGISTRATION (001)"
    case "cl_events": return "CL → FW (004)"
    case "ce_events": return "CE-29 lead conversion (000, DESIGN §4)"
    case "pm_events": return "PM patient merge (002, DESIGN §4)"
    default: return "CL ↔ PM, FA (003)"
    }
  }

  private static func caseName(_ kind: DomainEventKind) -> String { "\(kind)" }

  private static func rows(_ fields: [FieldSpec], prefix: String) -> [String] {
    fields.flatMap { field -> [String] in
      let path = prefix + field.name
      let note = field.note.isEmpty ? "" : " — " + field.note
      var lines = ["| `\(path)` | \(field.isRequired ? "yes" : "no") | \(escaped(rule(field.type) + note)) |"]
      switch field.type {
      case .object(let children): lines += rows(children, prefix: path + ".")
      case .array(.object(let children), _): lines += rows(children, prefix: path + "[].")
      default: break
      }
      return lines
    }
  }

  private static func rule(_ type: FieldType) -> String {
    switch type {
    case .uuid: return "UUID"
    case .string(let minLength, let maxLength):
      var text = minLength > 0 ? "non-empty string" : "string"
      if let maxLength { text += ", at most \(maxLength) characters" }
      return text
    case .constant(let value): return "constant `\"\(value)\"`"
    case .enumeration(let values): return "one of " + values.map { "`\($0)`" }.joined(separator: ", ")
    case .date: return "ISO date `YYYY-MM-DD` (real calendar date)"
    case .dateTime: return "RFC 3339 date-time"
    case .dateOrDateTime: return "ISO date or RFC 3339 date-time"
    case .boolean: return "boolean"
    case .integer(let minimum, let maximum):
      switch (minimum, maximum) {
      case (let low?, let high?): return "integer \(low)…\(high)"
      case (let low?, nil): return "integer ≥ \(low)"
      case (nil, let high?): return "integer ≤ \(high)"
      case (nil, nil): return "integer"
      }
    case .integerConstant(let value): return "constant `\(value)`"
    case .number(let minimum):
      return minimum.map { "number ≥ \(ContractValidator.formatted($0))" } ?? "number"
    case .array(let element, let minItems):
      return "array of \(rule(element))" + (minItems > 0 ? " (at least \(minItems))" : "")
    case .object: return "object"
    case .anyObject: return "any JSON object"
    }
  }

  private static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
  }
}
