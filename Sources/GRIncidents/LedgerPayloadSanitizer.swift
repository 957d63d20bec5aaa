import CloudEvents
import DomainEvents
import Foundation

/// Seed 004 (restraint template, "PHI / PII stripping"): before anything is persisted, every
/// field that the contract does not document is replaced by `sha256:<hex>` of its text, so free
/// text that a producer added by mistake (a name, a narrative) never reaches the database,
/// the ledger's `event_payload` included. Documented fields are kept as they are.
///
/// What is rewritten:
/// - in `data`: undocumented members of the envelope, of `metadata` and of `payload` (strings and
///   numbers are hashed, recursively inside arrays and objects; booleans and null are kept);
/// - CloudEvent extension attributes other than `correlationid`, `organizationid`, `traceparent`
///   and `tracestate`, and the free-form `subject` attribute.
/// `data` that cannot be parsed as a JSON object is dropped (never stored raw).
public enum LedgerPayloadSanitizer {
  /// Prefix of a hashed value.
  public static let hashPrefix = "sha256:"

  /// `sha256:<lowercase hex of the UTF-8 bytes>`.
  public static func hashed(_ text: String) -> String {
    hashPrefix + SHA256Digest.hex(text)
  }

  /// Documented members of the contract envelope (004, DESIGN §4).
  static let envelopeFields: Set<String> = ["event", "publisher", "subscriber", "payload", "metadata"]
  /// Documented members of `metadata`.
  static let metadataFields: Set<String> = [
    "organization_id", "site_id", "user_id", "timestamp", "correlation_id", "event_id",
  ]
  /// Extension attributes kept as they are.
  static let knownExtensions: Set<String> = ["correlationid", "organizationid", "traceparent", "tracestate"]

  /// Documented `payload` members of `kind`; empty (everything hashed) for kinds GR does not consume.
  public static func documentedPayloadFields(of kind: DomainEventKind) -> Set<String> {
    switch kind {
    case .clRestraintEventInitiated:
      return [
        "entity_id", "entity_type", "chart_id", "event_type", "patient_age_group", "max_duration_hours",
        "initiation_time", "severity", "action_required", "crisis_episode_id", "supervisor_id",
      ]
    case .clRestraintEventTerminated:
      return [
        "restraint_id", "patient_id", "initiation_time", "termination_time", "termination_reason",
        "face_to_face_required_flag", "scheduled_face_to_face_deadline", "duration_exceeded",
        "crisis_episode_id",
      ]
    case .clCrisisEpisodeOpened:
      return [
        "entity_id", "entity_type", "chart_id", "crisis_type", "risk_level", "severity", "action_required",
        "assigned_clinician_id", "supervisor_id",
      ]
    default:
      return []
    }
  }

  /// The CloudEvent with undocumented fields hashed (the envelope the ledger stores).
  public static func sanitized(_ event: CloudEvent, kind: DomainEventKind) -> CloudEvent {
    var copy = event
    copy.data = event.data.flatMap { sanitizedData($0, kind: kind) }
    if let subject = event.subject { copy.subject = hashed(subject) }
    for (name, value) in event.extensions where !knownExtensions.contains(name) {
      switch value {
      case .string(let text): copy.extensions[name] = .string(hashed(text))
      case .integer(let number): copy.extensions[name] = .string(hashed(String(number)))
      case .bool: break
      }
    }
    return copy
  }

  /// The contract JSON with undocumented members hashed, as sorted-key JSON bytes; `nil` when the
  /// bytes are not a JSON object.
  public static func sanitizedData(_ data: [UInt8], kind: DomainEventKind) -> [UInt8]? {
    guard case .object(let members)? = try? JSONDecoder().decode(EventJSONValue.self, from: Data(data)) else {
      return nil
    }
    let payloadFields = documentedPayloadFields(of: kind)
    var result: [String: EventJSONValue] = [:]
    for (key, value) in members {
      switch key {
      case "payload": result[key] = keepOnly(payloadFields, in: value)
      case "metadata": result[key] = keepOnly(metadataFields, in: value)
      default: result[key] = envelopeFields.contains(key) ? value : hashedValue(value)
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(EventJSONValue.object(result))).map { Array($0) }
  }

  /// `value` with members outside `documented` hashed; a non-object is hashed whole.
  static func keepOnly(_ documented: Set<String>, in value: EventJSONValue) -> EventJSONValue {
    guard case .object(let members) = value else { return hashedValue(value) }
    var result: [String: EventJSONValue] = [:]
    for (key, member) in members {
      result[key] = documented.contains(key) ? member : hashedValue(member)
    }
    return .object(result)
  }

  /// Strings and numbers hashed, recursively; booleans and null kept.
  static func hashedValue(_ value: EventJSONValue) -> EventJSONValue {
    switch value {
    case .null, .bool: return value
    case .string(let text): return .string(hashed(text))
    case .integer(let number): return .string(hashed(String(number)))
    case .number(let number): return .string(hashed(String(number)))
    case .array(let items): return .array(items.map(hashedValue))
    case .object(let members): return .object(members.mapValues(hashedValue))
    }
  }
}
