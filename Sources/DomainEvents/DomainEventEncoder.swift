import CloudEvents
import Foundation

/// Builds the CloudEvent for a typed contract (DESIGN §4) and validates the result with
/// `DomainEventDecoder`, so nothing invalid is ever published.
public enum DomainEventEncoder {
  /// The CloudEvent of a contract event: `id` = `metadata.event_id`, `time` = `metadata.timestamp`,
  /// `type` / `source` from `kind`, `datacontenttype` `application/json`, data = the envelope JSON,
  /// extensions `correlationid` and `organizationid` from metadata, and `traceparent` when given.
  public static func cloudEvent<P>(
    kind: DomainEventKind, envelope: ContractEnvelope<P>, traceparent: String? = nil
  ) throws(DomainEventError) -> CloudEvent {
    guard !kind.isRegistration else {
      throw DomainEventError.envelope("type", "REGISTRATION kinds are encoded from their data object")
    }
    let metadata = envelope.metadata
    var extensions: [String: CloudEventExtensionValue] = [
      "correlationid": .string(metadata.correlation_id),
      "organizationid": .string(metadata.organization_id),
    ]
    if let traceparent { extensions["traceparent"] = .string(traceparent) }
    let event = CloudEvent(
      id: metadata.event_id, source: kind.cloudEventSource, type: kind.cloudEventType,
      datacontenttype: "application/json", time: timestamp(metadata.timestamp), extensions: extensions,
      data: try json(envelope))
    _ = try DomainEventDecoder.decode(event)
    return event
  }

  /// The CloudEvent of a REGISTRATION event (001): `type` `ghasi.registration.<entity>.<event>`,
  /// `source` `ghasi/registration`, data = the documented data object, extension
  /// `organizationid` = `tenantId` (which must equal the data's `tenantId`).
  public static func cloudEvent<D: Encodable>(
    kind: DomainEventKind, registrationData: D, id: String, time: Date, tenantId: String,
    traceparent: String? = nil
  ) throws(DomainEventError) -> CloudEvent {
    guard kind.isRegistration else {
      throw DomainEventError.envelope("type", "only REGISTRATION kinds are encoded from a data object")
    }
    var extensions: [String: CloudEventExtensionValue] = ["organizationid": .string(tenantId)]
    if let traceparent { extensions["traceparent"] = .string(traceparent) }
    let event = CloudEvent(
      id: id, source: kind.cloudEventSource, type: kind.cloudEventType, datacontenttype: "application/json",
      time: CloudEventTimestamp(date: time), extensions: extensions, data: try json(registrationData))
    _ = try DomainEventDecoder.decode(event)
    return event
  }

  /// The CloudEvent of any typed body. Contract events take `id` and `time` from their metadata
  /// (the `id` and `time` arguments are ignored); REGISTRATION events use them, defaulting to a
  /// fresh lowercase UUID and the current time.
  public static func cloudEvent(
    _ body: DomainEventBody, id: String? = nil, time: Date? = nil, traceparent: String? = nil
  ) throws(DomainEventError) -> CloudEvent {
    switch body.content {
    case .contract(let envelope):
      return try envelope.makeCloudEvent(kind: body.kind, traceparent: traceparent)
    case .registration(let data):
      return try cloudEvent(
        kind: body.kind, registrationData: data, id: id ?? UUID().uuidString.lowercased(),
        time: time ?? Date(),
        tenantId: data.tenantId, traceparent: traceparent)
    }
  }

  /// The CloudEvent of a decoded event's body, keeping its id, time and traceparent: the inverse of
  /// `DomainEventDecoder.decode` up to JSON formatting.
  public static func cloudEvent(reencoding decoded: DecodedDomainEvent) throws(DomainEventError) -> CloudEvent
  {
    try cloudEvent(
      decoded.body, id: decoded.cloudEvent.id, time: decoded.cloudEvent.time?.date,
      traceparent: decoded.cloudEvent.extensions["traceparent"]?.stringValue)
  }

  /// Sorted keys and unescaped slashes: the same value always encodes to the same bytes.
  static func json<T: Encodable>(_ value: T) throws(DomainEventError) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      return Array(try encoder.encode(value))
    } catch {
      throw DomainEventError.payload("data", "cannot be encoded as JSON")
    }
  }

  /// The CloudEvents `time` for an RFC 3339 text, keeping the text when the CloudEvents module
  /// accepts it; `nil` when the text is not a date-time (validation then reports the field).
  static func timestamp(_ text: String) -> CloudEventTimestamp? {
    if let exact = CloudEventTimestamp(rfc3339: text) { return exact }
    return ContractFormat.dateTime(text).map { CloudEventTimestamp(date: $0) }
  }
}
