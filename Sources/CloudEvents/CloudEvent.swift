/// A CloudEvents 1.0 event: the context attributes plus the opaque `data` bytes.
///
/// This module has no NIO dependency. The NATS mapping (binary and structured content modes)
/// works on plain header pairs and byte arrays so that any transport can use it.
public struct CloudEvent: Sendable, Hashable {
  /// `id`: identifies the event; `source` + `id` is unique per distinct event.
  public var id: String
  /// `source`: a URI-reference naming the context in which the event happened.
  public var source: String
  /// `specversion`: always "1.0" for events this module produces.
  public var specversion: String
  /// `type`: the kind of event, e.g. `encoreos.cl.progress_note_signed`.
  public var type: String
  /// `datacontenttype`: media type of `data`, e.g. `application/json`.
  public var datacontenttype: String?
  /// `dataschema`: URI of the schema `data` adheres to.
  public var dataschema: String?
  /// `subject`: the subject of the event in the context of the producer.
  public var subject: String?
  /// `time`: when the occurrence happened (RFC 3339 on the wire).
  public var time: CloudEventTimestamp?
  /// Extension attributes, keyed by their (lowercase alphanumeric) names.
  public var extensions: [String: CloudEventExtensionValue]
  /// The event payload, as raw bytes (`nil` when the event carries no data).
  public var data: [UInt8]?

  /// Creates an event. Validation is separate: see `validate()`.
  public init(
    id: String, source: String, type: String, specversion: String = "1.0",
    datacontenttype: String? = nil, dataschema: String? = nil, subject: String? = nil,
    time: CloudEventTimestamp? = nil, extensions: [String: CloudEventExtensionValue] = [:],
    data: [UInt8]? = nil
  ) {
    self.id = id
    self.source = source
    self.type = type
    self.specversion = specversion
    self.datacontenttype = datacontenttype
    self.dataschema = dataschema
    self.subject = subject
    self.time = time
    self.extensions = extensions
    self.data = data
  }
}

/// The value of an extension attribute. CloudEvents allows String, Boolean, Integer, URI,
/// URI-reference, Binary and Timestamp; over binary-mode headers every value travels as a string.
public enum CloudEventExtensionValue: Sendable, Hashable {
  case string(String)
  case bool(Bool)
  case integer(Int64)

  /// The canonical string form used in headers.
  public var stringValue: String {
    switch self {
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .integer(let i): return String(i)
    }
  }
}
