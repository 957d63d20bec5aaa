import DomainEvents
import StreamTopology

/// What `fleet events` shows about one contract, derived from DomainEvents' ``EventCatalog``.
public struct EventContractInfo: Sendable, Equatable {
  /// The event kind.
  public var kind: DomainEventKind
  /// The NATS subject.
  public var subject: String
  /// The CloudEvents `type`.
  public var cloudEventType: String
  /// The CloudEvents `source`.
  public var cloudEventSource: String
  /// The dedupe key rule, in words (the schema's `x-dedupe-key`).
  public var dedupeKey: String
  /// Whether the contract is deprecated.
  public var isDeprecated: Bool

  /// The contract of `kind`.
  public init(_ kind: DomainEventKind) {
    self.kind = kind
    self.subject = kind.subject
    self.cloudEventType = kind.cloudEventType
    self.cloudEventSource = kind.cloudEventSource
    self.isDeprecated = kind.isDeprecated
    let schema = try? JSONValue(parsing: EventCatalog.jsonSchema(for: kind))
    self.dedupeKey = schema?["x-dedupe-key"]?.stringValue ?? ""
  }

  /// Every contract, in catalog order.
  public static var all: [EventContractInfo] { EventCatalog.all.map(EventContractInfo.init) }

  /// The kind named by `text`: its event name (`progress_note_signed`,
  /// `REGISTRATION.patient.created`), its subject, its CloudEvents type, or its Swift case name.
  public static func kind(named text: String) -> DomainEventKind? {
    DomainEventKind.allCases.first { kind in
      kind.rawValue == text || kind.subject == text || kind.cloudEventType == text || "\(kind)" == text
    }
  }

  /// The kind's section of the generated contract reference (fields, rules, dedupe key).
  public static func reference(for kind: DomainEventKind) -> String {
    let lines = EventCatalog.markdownReference().split(separator: "\n", omittingEmptySubsequences: false)
    let heading = "### `\(kind.rawValue)`"
    guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return "" }
    let rest = lines[lines.index(after: start)...]
    let end = rest.firstIndex { $0.hasPrefix("## ") || $0.hasPrefix("### ") } ?? lines.endIndex
    return lines[start..<end].joined(separator: "\n").trimmingTrailingNewlines()
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var copy = self
    while copy.last?.isNewline == true { copy.removeLast() }
    return copy
  }
}
