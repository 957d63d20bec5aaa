/// How a deliberately invalid event breaks its contract. Every invalid event is still valid JSON
/// and a valid CloudEvent; only the contract check (`DomainEventDecoder.decode`) rejects it.
public enum Invalidity: String, Sendable, Codable, CaseIterable {
  /// A required payload, metadata or data field is absent.
  case missingRequiredField
  /// A field that must be a UUID holds something else (`ENC-…`, no dashes, braces, truncated).
  case badUUID
  /// A date or date-time field is not ISO 8601 / RFC 3339 or names an impossible date.
  case badDate
  /// The CloudEvents `type` names no contract (e.g. the undocumented alias
  /// `cl_restraint_event_documented`); published on the subject of a real kind so that a consumer
  /// receives it and dead-letters it.
  case unknownType
  /// `payload.entity_type` is not the contract's constant.
  case wrongEntityType
  /// An enumerated field holds a value outside its list (`note_type`, `priority`, `crisis_type`…).
  case badEnum
}
