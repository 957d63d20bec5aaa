/// Who receives a PF-10 notification: a profile (pf_profiles.id) or a role name.
public struct NotificationRecipient: Sendable, Hashable {
  /// `profile` or `role` (the outbox's `recipient_type`).
  public var type: String
  /// The profile id (lowercased UUID) or the role name.
  public var id: String

  /// Creates a recipient.
  public init(type: String, id: String) {
    self.type = type
    self.id = id
  }

  /// A pf_profiles.id recipient.
  public static func profile(_ id: String) -> NotificationRecipient {
    NotificationRecipient(type: "profile", id: id.lowercased())
  }

  /// A role recipient.
  public static func role(_ name: String) -> NotificationRecipient {
    NotificationRecipient(type: "role", id: name)
  }
}
