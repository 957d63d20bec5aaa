import Logging

/// The ids of one work message that every log line about it carries: `stream`, `consumer`,
/// `stream_seq`, `delivery`, and, once the CloudEvent is decoded (or its `ce-id` header read),
/// `event_id` and `event_type`. Ids only, never payload fields.
struct EventLogFields: Sendable {
  var stream: String
  var consumer: String
  var streamSequence: UInt64
  var deliveryCount: Int
  var eventId: String?
  var eventType: String?

  /// The fields as log metadata.
  var metadata: Logger.Metadata {
    var metadata = Logger.Metadata(minimumCapacity: 6)
    metadata["stream"] = .string(stream)
    metadata["consumer"] = .string(consumer)
    metadata["stream_seq"] = .string(String(streamSequence))
    metadata["delivery"] = .string(String(deliveryCount))
    if let eventId { metadata["event_id"] = .string(eventId) }
    if let eventType { metadata["event_type"] = .string(eventType) }
    return metadata
  }
}

/// The log handler of one event's logger: the service logger's handler, plus the event's ids
/// (`EventLogFields`) turned into metadata only when a line is actually written.
///
/// Merging six entries into a copy of the handler's metadata for every event, as the processor did,
/// built a dictionary and six strings per event that almost no event used: at the default level
/// an event that is processed logs nothing. The ids are written as if they were the handler's own
/// metadata: the call site's metadata wins over them, and they win over the base handler's, as when
/// they were merged into it (a metadata provider's values now come below them).
struct EventLogHandler: LogHandler {
  /// The service logger's handler, which writes the lines.
  private(set) var base: any LogHandler
  /// The event's ids; nil once they have been moved into `base.metadata` (a metadata change
  /// through this handler does that first, so its own metadata always includes them).
  private var fields: EventLogFields?

  init(base: any LogHandler, fields: EventLogFields) {
    self.base = base
    self.fields = fields
  }

  func log(event: LogEvent) {
    guard let fields else {
      base.log(event: event)
      return
    }
    var event = event
    var metadata = fields.metadata
    if let callSite = event.metadata {
      metadata.merge(callSite) { _, new in new }
    }
    event.metadata = metadata
    base.log(event: event)
  }

  var logLevel: Logger.Level {
    get { base.logLevel }
    set { base.logLevel = newValue }
  }

  var metadataProvider: Logger.MetadataProvider? {
    get { base.metadataProvider }
    set { base.metadataProvider = newValue }
  }

  var metadata: Logger.Metadata {
    get {
      guard let fields else { return base.metadata }
      return base.metadata.merging(fields.metadata) { _, new in new }
    }
    set {
      fields = nil
      base.metadata = newValue
    }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set {
      moveFieldsIntoBase()
      base[metadataKey: key] = newValue
    }
  }

  /// Writes the ids into the base handler's metadata (where later changes can override them).
  private mutating func moveFieldsIntoBase() {
    guard let fields else { return }
    self.fields = nil
    base.metadata.merge(fields.metadata) { _, new in new }
  }
}
