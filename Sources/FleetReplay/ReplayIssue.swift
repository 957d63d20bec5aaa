/// One message that was skipped as invalid or failed to publish: where it is, its event id when
/// known, and why (never its payload).
public struct ReplayIssue: Sendable, Hashable, Codable, CustomStringConvertible {
  /// What happened.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Not a valid event (skipped).
    case invalid
    /// Not acknowledged after every attempt.
    case failed
  }

  /// Skipped or failed.
  public var kind: Kind
  /// Stream sequence or file line (see `unit`).
  public var position: UInt64
  /// `seq` or `line`.
  public var unit: String
  /// The CloudEvents id, when known.
  public var eventID: String?
  /// Why.
  public var reason: String

  /// Creates an issue.
  public init(kind: Kind, position: UInt64, unit: String, eventID: String?, reason: String) {
    self.kind = kind
    self.position = position
    self.unit = unit
    self.eventID = eventID
    self.reason = reason
  }

  /// `line 3 (invalid): reason` or `seq 12, event <id> (failed): reason`.
  public var description: String {
    let id = eventID.map { ", event \($0)" } ?? ""
    return "\(unit) \(position)\(id) (\(kind.rawValue)): \(reason)"
  }

  enum CodingKeys: String, CodingKey {
    case kind, position, unit
    case eventID = "event_id"
    case reason
  }
}
