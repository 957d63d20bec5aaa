/// The JSON event format (structured content mode), media type `application/cloudevents+json`.
///
/// Encoding is deterministic: `specversion`, `id`, `source`, `type`, the optional attributes,
/// the extensions sorted by name, then `data` or `data_base64`. Decoding keeps a `data` JSON value
/// as the exact text it had in the input, so decode → encode reproduces it byte for byte.
public enum CloudEventJSONFormat {
  /// The media type of a CloudEvent in the JSON format.
  public static let contentType = "application/cloudevents+json"

  /// Encodes a valid event as a JSON object.
  ///
  /// `data` goes into the `data` member as a JSON value when `datacontenttype` is absent or
  /// declares JSON (`*/json`, `*/*+json`) and the bytes are exactly one JSON value without
  /// surrounding whitespace; otherwise it goes into `data_base64`, so the bytes survive exactly.
  /// Extension values keep their kind: booleans and integers as JSON booleans and numbers.
  ///
  /// - Throws: the first violation of `event.validationErrors()`; invalid events are not encoded.
  public static func encode(_ event: CloudEvent) throws(CloudEventValidationError) -> [UInt8] {
    try event.validate()
    return encode(validated: event)
  }

  /// `encode(_:)` for an event known to be valid: one that `CloudEventNATSBinding.decode` or
  /// `decode(_:)` returned (both validate), unchanged. The checks are not repeated (a consumer
  /// encodes every event it receives for its ledger, after decoding validated it); an invalid
  /// event gives an invalid document.
  public static func encode(validated event: CloudEvent) -> [UInt8] {
    // Room for the attributes and the data (as raw JSON; base64 is a third larger).
    var writer = CloudEventJSONWriter(capacity: 512 + (event.data?.count ?? 0) * 4 / 3)
    writer.string("specversion", event.specversion)
    writer.string("id", event.id)
    writer.string("source", event.source)
    writer.string("type", event.type)
    if let datacontenttype = event.datacontenttype { writer.string("datacontenttype", datacontenttype) }
    if let dataschema = event.dataschema { writer.string("dataschema", dataschema) }
    if let subject = event.subject { writer.string("subject", subject) }
    if let time = event.time { writer.string("time", time.rfc3339) }
    for name in event.extensions.keys.sorted() {
      switch event.extensions[name] {
      case .string(let value): writer.string(name, value)
      case .bool(let value): writer.bool(name, value)
      case .integer(let value): writer.integer(name, value)
      case nil: break
      }
    }
    if let data = event.data {
      if declaresJSON(event.datacontenttype), CloudEventJSONScanner.isBareJSONValue(data) {
        writer.raw("data", data)
      } else {
        writer.string("data_base64", CloudEventBase64.encode(data))
      }
    }
    return writer.finish()
  }

  /// Decodes and validates a CloudEvent in the JSON format.
  ///
  /// - `null` for any attribute or extension means absent (JSON format §2.2);
  /// - `data_base64` is decoded to its bytes;
  /// - `data` becomes the raw JSON text of the member's value when `datacontenttype` is absent or
  ///   declares JSON (a JSON `null` is an explicit `null` payload, bytes `null`); with any other
  ///   content type a JSON string becomes its UTF-8 content, other values their raw text;
  /// - other members become extensions: strings, booleans and integers (within `Int64`).
  ///
  /// - Throws: `CloudEventDecodingError` naming the broken rule: malformed JSON, not an object,
  ///   a required attribute missing or of the wrong type, both `data` and `data_base64`, invalid
  ///   base64, a `time` that is not RFC 3339, or (code `.invalidEvent`) every validation violation.
  public static func decode(_ bytes: [UInt8]) throws(CloudEventDecodingError) -> CloudEvent {
    let document: CloudEventJSONScanner.Document
    do throws(CloudEventSyntaxViolation) {
      document = try CloudEventJSONScanner.scanDocument(bytes)
    } catch {
      throw CloudEventDecodingError(code: .malformedJSON, reason: "malformed JSON: \(error.reason)")
    }
    switch document {
    case .object(let members):
      return try decode(members: members, in: bytes)
    case .other(let kind):
      throw CloudEventDecodingError(
        code: .notAnObject,
        reason: "a structured CloudEvent must be a JSON object, found a JSON \(kind.typeName)")
    }
  }

  /// Decodes the members of an already scanned top-level object.
  static func decode(members: [CloudEventJSONScanner.Member], in bytes: [UInt8])
    throws(CloudEventDecodingError)
    -> CloudEvent
  {
    var byName: [String: CloudEventJSONScanner.Member] = [:]
    for member in members { byName[member.name] = member }

    func string(_ name: String, required: Bool) throws(CloudEventDecodingError) -> String? {
      guard let member = byName[name], member.kind != .null else {
        if required {
          throw CloudEventDecodingError(
            code: .missingAttribute, reason: "missing required attribute '\(name)'")
        }
        return nil
      }
      guard case .string(let value) = member.kind else {
        throw CloudEventDecodingError(
          code: .wrongType,
          reason: "attribute '\(name)' must be a JSON string, found a JSON \(member.kind.typeName)")
      }
      return value
    }

    let specversion = try string("specversion", required: true) ?? ""
    let id = try string("id", required: true) ?? ""
    let source = try string("source", required: true) ?? ""
    let type = try string("type", required: true) ?? ""
    let datacontenttype = try string("datacontenttype", required: false)
    let dataschema = try string("dataschema", required: false)
    let subject = try string("subject", required: false)

    var time: CloudEventTimestamp?
    if let text = try string("time", required: false) {
      guard let timestamp = CloudEventTimestamp(rfc3339: text) else {
        throw CloudEventDecodingError(
          code: .invalidTimestamp, reason: "attribute 'time' must be an RFC 3339 timestamp")
      }
      time = timestamp
    }

    let dataMember = byName["data"]
    let base64Text = try string("data_base64", required: false)
    var data: [UInt8]?
    if let dataMember {
      guard base64Text == nil else {
        throw CloudEventDecodingError(
          code: .conflictingData,
          reason: "both 'data' and 'data_base64' are present; they are mutually exclusive")
      }
      if !declaresJSON(datacontenttype), case .string(let text) = dataMember.kind {
        data = Array(text.utf8)
      } else {
        data = Array(bytes[dataMember.range])
      }
    } else if let base64Text {
      do throws(CloudEventSyntaxViolation) {
        data = try CloudEventBase64.decode(base64Text)
      } catch {
        throw CloudEventDecodingError(
          code: .invalidBase64,
          reason: "attribute 'data_base64' is not valid base64: the value \(error.reason)")
      }
    }

    var extensions: [String: CloudEventExtensionValue] = [:]
    for member in members where !CloudEvent.reservedAttributeNames.contains(member.name) {
      switch member.kind {
      case .null:
        continue
      case .string(let value):
        extensions[member.name] = .string(value)
      case .bool(let value):
        extensions[member.name] = .bool(value)
      case .number:
        let text = String(decoding: bytes[member.range], as: UTF8.self)
        guard let value = Int64(text) else {
          throw CloudEventDecodingError(
            code: .wrongType,
            reason: "extension attribute '\(member.name)' must be an integer within 64 bits, "
              + "found a fractional, exponent or out-of-range number")
        }
        extensions[member.name] = .integer(value)
      case .object, .array:
        throw CloudEventDecodingError(
          code: .wrongType,
          reason: "extension attribute '\(member.name)' must be a JSON string, boolean or integer, "
            + "found a JSON \(member.kind.typeName)")
      }
    }

    let event = CloudEvent(
      id: id, source: source, type: type, specversion: specversion, datacontenttype: datacontenttype,
      dataschema: dataschema, subject: subject, time: time, extensions: extensions, data: data)
    let violations = event.validationErrors()
    guard violations.isEmpty else { throw CloudEventDecodingError(violations: violations) }
    return event
  }

  /// Whether `datacontenttype` declares JSON content; an absent one counts as `application/json`.
  static func declaresJSON(_ datacontenttype: String?) -> Bool {
    guard let datacontenttype else { return true }
    do throws(CloudEventSyntaxViolation) {
      return try CloudEventMediaType.parse(datacontenttype).isJSON
    } catch {
      return false
    }
  }
}
