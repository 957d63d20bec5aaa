/// Maps CloudEvents to and from NATS messages (headers + body) in both content modes.
///
/// Pure: headers are plain `(name, value)` pairs in order, so any NATS client can use it.
/// - Binary mode: every attribute as a lowercase `ce-<name>` header with a percent-encoded
///   value; `datacontenttype` also as `Content-Type`; the body is the `data` bytes.
/// - Structured mode: `Content-Type: application/cloudevents+json`, the body is the JSON format.
public enum CloudEventNATSBinding {
  /// The content mode used when encoding.
  public enum Mode: Sendable {
    /// Attributes in `ce-` headers, `data` as the body (the default for publishing).
    case binary
    /// The whole event as `application/cloudevents+json` in the body.
    case structured
  }

  /// The prefix of binary-mode attribute headers.
  public static let headerPrefix = "ce-"
  /// The standard content type header name written by `encode`.
  public static let contentTypeHeader = "Content-Type"

  /// Encodes a valid event as NATS headers and body.
  ///
  /// Binary mode writes `ce-specversion`, `ce-id`, `ce-source`, `ce-type`, then the optional
  /// attributes present and the extensions sorted by name (booleans and integers in their string
  /// form), each value percent-encoded per the HTTP binding (space, `"`, `%` and anything outside
  /// U+0021…U+007E, as `%XX` of the UTF-8 bytes); `datacontenttype` also as `Content-Type`. The
  /// body is `data`, or empty without data.
  ///
  /// - Throws: the first violation of `event.validationErrors()`; invalid events are not encoded.
  public static func encode(_ event: CloudEvent, mode: Mode = .binary) throws(CloudEventValidationError)
    -> (headers: [(String, String)], body: [UInt8])
  {
    switch mode {
    case .structured:
      let body = try CloudEventJSONFormat.encode(event)
      return ([(contentTypeHeader, CloudEventJSONFormat.contentType)], body)
    case .binary:
      try event.validate()
      var headers: [(String, String)] = []
      func add(_ name: String, _ value: String) {
        headers.append((headerPrefix + name, CloudEventPercentEncoding.encode(value)))
      }
      add("specversion", event.specversion)
      add("id", event.id)
      add("source", event.source)
      add("type", event.type)
      if let datacontenttype = event.datacontenttype { add("datacontenttype", datacontenttype) }
      if let dataschema = event.dataschema { add("dataschema", dataschema) }
      if let subject = event.subject { add("subject", subject) }
      if let time = event.time { add("time", time.rfc3339) }
      for name in event.extensions.keys.sorted() {
        if let value = event.extensions[name] { add(name, value.stringValue) }
      }
      if let datacontenttype = event.datacontenttype {
        // A valid media type is printable ASCII, so it travels unencoded as a standard header.
        headers.append((contentTypeHeader, datacontenttype))
      }
      return (headers, event.data ?? [])
    }
  }

  /// Whether the message is in binary mode: a header named `ce-specversion` (ASCII
  /// case-insensitive) is present.
  public static func isBinary(headers: [(String, String)]) -> Bool {
    headers.contains { lowercasedName($0.0) == "ce-specversion" }
  }

  /// `name.lowercased()`, without a new string for the usual name that is lowercase ASCII already.
  static func lowercasedName(_ name: String) -> String {
    let isLowercaseASCII = name.utf8.allSatisfy {
      $0 < 0x80 && !($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
    }
    return isLowercaseASCII ? name : name.lowercased()
  }

  /// Decodes and validates a NATS message in either content mode.
  ///
  /// Binary iff `isBinary(headers:)`. Otherwise structured: `Content-Type` must be
  /// `application/cloudevents+json` (parameters allowed), or absent with a body that is a JSON
  /// object with a `specversion` member.
  ///
  /// Binary mode: header names are ASCII case-insensitive; `%XX` escapes are decoded and the
  /// result must be valid UTF-8. Lenient for the Go SDK's NATS JetStream binding, which sends
  /// values unencoded: a `%` not followed by two hex digits stays literally, raw UTF-8 and spaces
  /// are kept; spaces and tabs around a value are dropped. Unknown `ce-` headers become string
  /// extensions. `ce-datacontenttype`, or else `Content-Type`, gives `datacontenttype`. An empty
  /// body means no data. A `ce-` header repeated with a different value is an error.
  ///
  /// - Throws: `CloudEventDecodingError` naming the broken rule.
  public static func decode(headers: [(String, String)], body: [UInt8]) throws(CloudEventDecodingError)
    -> CloudEvent
  {
    if isBinary(headers: headers) {
      return try decodeBinary(headers: headers, body: body)
    }
    return try decodeStructured(headers: headers, body: body)
  }

  // MARK: - Structured

  private static func decodeStructured(headers: [(String, String)], body: [UInt8])
    throws(CloudEventDecodingError)
    -> CloudEvent
  {
    if let contentType = headers.first(where: { lowercasedName($0.0) == "content-type" })?.1 {
      let essence = CloudEventMediaType.essence(of: contentType)
      if essence == CloudEventJSONFormat.contentType {
        return try CloudEventJSONFormat.decode(body)
      }
      let shown = contentType.count > 64 ? String(contentType.prefix(64)) + "…" : contentType
      if essence.hasPrefix("application/cloudevents-batch") {
        throw CloudEventDecodingError(
          code: .unsupportedFormat, reason: "batched content mode ('\(shown)') is not supported over NATS")
      }
      if essence.hasPrefix("application/cloudevents") {
        throw CloudEventDecodingError(
          code: .unsupportedFormat,
          reason: "event format '\(shown)' is not supported; only application/cloudevents+json is")
      }
      throw CloudEventDecodingError(
        code: .notACloudEvent,
        reason: "not a CloudEvent: no ce-specversion header and Content-Type '\(shown)' "
          + "is not application/cloudevents+json")
    }
    let document: CloudEventJSONScanner.Document
    do throws(CloudEventSyntaxViolation) {
      document = try CloudEventJSONScanner.scanDocument(body)
    } catch {
      throw notACloudEventWithoutContentType
    }
    guard case .object(let members) = document, members.contains(where: { $0.name == "specversion" }) else {
      throw notACloudEventWithoutContentType
    }
    return try CloudEventJSONFormat.decode(members: members, in: body)
  }

  private static var notACloudEventWithoutContentType: CloudEventDecodingError {
    CloudEventDecodingError(
      code: .notACloudEvent,
      reason:
        "not a CloudEvent: no ce-specversion header, no Content-Type, and the body is not a JSON object "
        + "with a 'specversion' member")
  }

  // MARK: - Binary

  /// The context attributes that are not extensions.
  private static let knownAttributeNames: [String] = [
    "specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time",
  ]

  private static func decodeBinary(headers: [(String, String)], body: [UInt8]) throws(CloudEventDecodingError)
    -> CloudEvent
  {
    var attributes = AttributeList(capacity: headers.count)
    var contentType: String?
    for (rawName, rawValue) in headers {
      let name = lowercasedName(rawName)
      if name == "content-type" {
        if contentType == nil { contentType = rawValue.trimmingASCIIWhitespace() }
        continue
      }
      guard name.hasPrefix(headerPrefix) else { continue }
      let attribute = String(name.dropFirst(headerPrefix.count))
      // Surrounding spaces are never part of a value (ours are encoded as %20), as in HTTP.
      guard let value = CloudEventPercentEncoding.decode(rawValue.trimmingASCIIWhitespace()) else {
        throw CloudEventDecodingError(
          code: .invalidHeaderValue,
          reason: "header '\(headerPrefix)\(attribute)': the percent-decoded value is not valid UTF-8")
      }
      if let existing = attributes.value(of: attribute) {
        guard existing == value else {
          throw CloudEventDecodingError(
            code: .duplicateHeader,
            reason: "header '\(headerPrefix)\(attribute)' appears more than once with different values")
        }
        continue
      }
      attributes.append(attribute, value)
    }

    func attribute(_ name: String) -> String? { attributes.value(of: name) }
    func required(_ name: String) throws(CloudEventDecodingError) -> String {
      guard let value = attribute(name) else {
        throw CloudEventDecodingError(
          code: .missingAttribute,
          reason: "missing required attribute '\(name)' (header '\(headerPrefix)\(name)')")
      }
      return value
    }

    let specversion = try required("specversion")
    let id = try required("id")
    let source = try required("source")
    let type = try required("type")
    var time: CloudEventTimestamp?
    if let text = attribute("time") {
      guard let timestamp = CloudEventTimestamp(rfc3339: text) else {
        throw CloudEventDecodingError(
          code: .invalidTimestamp, reason: "attribute 'time' (header 'ce-time') must be an RFC 3339 timestamp"
        )
      }
      time = timestamp
    }

    var extensions: [String: CloudEventExtensionValue] = [:]
    for (name, value) in attributes.pairs where !knownAttributeNames.contains(name) {
      extensions[name] = .string(value)
    }

    let event = CloudEvent(
      id: id, source: source, type: type, specversion: specversion,
      datacontenttype: attribute("datacontenttype") ?? contentType, dataschema: attribute("dataschema"),
      subject: attribute("subject"), time: time, extensions: extensions, data: body.isEmpty ? nil : body)
    let violations = event.validationErrors()
    guard violations.isEmpty else { throw CloudEventDecodingError(violations: violations) }
    return event
  }
}

/// A binary-mode event's attributes in header order, first occurrence of each. Scanned, not
/// hashed: an event has about a dozen headers, and hashing each name for the insert, the
/// duplicate check and every lookup cost more than the scans (~1 % of a consumer service's CPU).
/// Past `indexThreshold` names an index takes over, so a message of many thousand tiny headers
/// (within the size limit) costs linear time, not quadratic.
private struct AttributeList {
  static let indexThreshold = 32

  private(set) var pairs: [(name: String, value: String)] = []
  private var index: [String: Int]?

  init(capacity: Int) {
    pairs.reserveCapacity(min(capacity, Self.indexThreshold))
  }

  func value(of name: String) -> String? {
    if let index { return index[name].map { pairs[$0].value } }
    return pairs.first { $0.name == name }?.value
  }

  /// Appends a name not present yet.
  mutating func append(_ name: String, _ value: String) {
    pairs.append((name, value))
    if index != nil {
      index?[name] = pairs.count - 1
    } else if pairs.count > Self.indexThreshold {
      index = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1.name, $0) })
    }
  }
}
