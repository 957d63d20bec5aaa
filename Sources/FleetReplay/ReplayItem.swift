import CloudEvents

/// One message read from a source, before it is filtered, validated and published.
struct ReplayItem: Sendable {
  /// What the reader made of the message.
  enum Content: Sendable {
    /// A decoded CloudEvent with what is known of its origin.
    case event(CloudEvent, originalSubject: String?, failingService: String?)
    /// Not a CloudEvent (the reason names the rule; the id when a header had one).
    case invalid(reason: String, eventID: String?)
    /// Not selected (another service's dead letter): counted as filtered.
    case filtered
    /// Nothing to replay (a blank line); advances the position, counts nowhere.
    case ignored
  }

  /// Stream sequence or file line.
  var position: UInt64
  /// The content.
  var content: Content
}
