import CloudEvents
import Foundation

/// Turns a CloudEvent into a validated `DecodedDomainEvent`, or says exactly which rule it broke.
public enum DomainEventDecoder {
  /// Dispatches on the CloudEvents `type`, decodes `data` and validates everything: the CloudEvent
  /// attributes, `source`, the media type, every field of the contract table (required fields,
  /// enumerations, ISO dates, UUIDs, ranges), repeated ids, and the envelope/metadata consistency
  /// (CloudEvents `id` == `metadata.event_id`, `organizationid` / `correlationid` extensions ==
  /// metadata, REGISTRATION `id` a UUID).
  public static func decode(_ event: CloudEvent) throws(DomainEventError) -> DecodedDomainEvent {
    try decode(event, fastPath: true)
  }

  /// `decode(_:)` for an event whose CloudEvents attributes are known to be valid: one that
  /// `CloudEventNATSBinding.decode` or `CloudEventJSONFormat.decode` returned (both validate),
  /// unchanged. Everything else is checked as by `decode(_:)`; only the attribute checks those
  /// decoders made are not repeated (a consumer decodes every message it receives that way).
  public static func decode(validated event: CloudEvent) throws(DomainEventError) -> DecodedDomainEvent {
    try decode(event, fastPath: true, validated: true)
  }

  /// `decode(_:)`; with `fastPath` false, `data` goes only through the reference path
  /// (`JSONDecoder`), which the fast path must reproduce exactly (the tests compare the two).
  static func decode(_ event: CloudEvent, fastPath: Bool, validated: Bool = false) throws(DomainEventError)
    -> DecodedDomainEvent
  {
    guard let kind = DomainEventKind(cloudEventType: event.type) else {
      throw DomainEventError(
        code: .unknownType, field: "type",
        reason: "no contract for CloudEvents type \"\(String(event.type.unicodeScalars.prefix(120)))\"")
    }
    if !validated, let violation = event.validationErrors().first {
      throw DomainEventError.envelope(violation.attribute, violation.reason)
    }
    guard event.source == kind.cloudEventSource else {
      throw DomainEventError.envelope(
        "source", "must be \"\(kind.cloudEventSource)\" for type \(kind.cloudEventType)")
    }
    if let contentType = event.datacontenttype, !isJSONMediaType(contentType) {
      throw DomainEventError.envelope("datacontenttype", "must be application/json (or absent)")
    }
    guard let bytes = event.data else {
      throw DomainEventError.envelope("data", "is required")
    }
    // Fast path: parse once, validate and build the typed body from the tree. Input the parser
    // does not vouch for, and any typed-decoding failure, takes the reference path below.
    let body: DomainEventBody
    if fastPath, let json = EventJSONParser.parse(bytes) {
      try validate(json, as: kind)
      body = try makeBody(kind, from: json, bytes: bytes)
    } else {
      body = try referenceBody(kind, bytes: bytes)
    }
    let summary = body.summary
    try checkConsistency(of: event, with: summary)
    return DecodedDomainEvent(kind: kind, cloudEvent: event, body: body, summary: summary)
  }

  /// The reference path: `JSONDecoder` into `EventJSONValue` for validation, then again into the
  /// typed contract. It defines the behaviour the fast path reproduces.
  static func referenceBody(_ kind: DomainEventKind, bytes: [UInt8]) throws(DomainEventError)
    -> DomainEventBody
  {
    let data = Data(bytes)
    let json: EventJSONValue
    do {
      json = try JSONDecoder().decode(EventJSONValue.self, from: data)
    } catch {
      throw DomainEventError.payload("data", "is not valid JSON")
    }
    try validate(json, as: kind)
    return try makeBody(kind, from: nil, bytes: bytes)
  }

  /// Checks the parsed data against the kind's contract table (both paths).
  private static func validate(_ json: EventJSONValue, as kind: DomainEventKind) throws(DomainEventError) {
    guard let spec = EventCatalog.specs[kind] else {
      throw DomainEventError(code: .unknownType, field: "type", reason: "no contract table entry")
    }
    try ContractValidator.validate(json, against: spec)
  }

  /// `application/json` or any `*/*+json` media type, parameters ignored.
  static func isJSONMediaType(_ contentType: String) -> Bool {
    if let isJSON = isASCIIJSONMediaType(contentType) { return isJSON }
    let essence =
      contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    return essence == "application/json" || (essence.contains("/") && essence.hasSuffix("+json"))
  }

  /// `isJSONMediaType` without Foundation for an ASCII `contentType` (where trimming
  /// `.whitespaces` means spaces and tabs, and lowercasing is ASCII); `nil` for any other text.
  private static func isASCIIJSONMediaType(_ contentType: String) -> Bool? {
    // The whole text must be ASCII: elsewhere a combining mark could join the `;` Character.
    guard contentType.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
    var essence: [UInt8] = []
    for byte in contentType.utf8 {
      if byte == UInt8(ascii: ";") { break }
      essence.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
    }
    func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    guard let first = essence.firstIndex(where: { !isBlank($0) }),
      let last = essence.lastIndex(where: { !isBlank($0) })
    else { return false }
    let trimmed = essence[first...last]
    return trimmed.elementsEqual("application/json".utf8)
      || (trimmed.contains(UInt8(ascii: "/")) && trimmed.reversed().starts(with: "+json".utf8.reversed()))
  }

  private static func checkConsistency(of event: CloudEvent, with body: DomainEventBody.Summary)
    throws(DomainEventError)
  {
    let organization = body.organizationId
    if let metadata = body.metadata {
      guard ContractValidator.sameIdentifier(event.id, metadata.event_id) else {
        throw DomainEventError.envelope("id", "must equal data.metadata.event_id")
      }
      if let correlation = event.extensions["correlationid"]?.stringValue,
        correlation != metadata.correlation_id
      {
        throw DomainEventError.envelope("correlationid", "must equal data.metadata.correlation_id")
      }
      if let extensionValue = event.extensions["organizationid"]?.stringValue,
        !ContractValidator.sameIdentifier(extensionValue, organization)
      {
        throw DomainEventError.envelope("organizationid", "must equal data.metadata.organization_id")
      }
    } else {
      guard ContractFormat.isUUID(event.id) else {
        throw DomainEventError.envelope("id", "must be a UUID for REGISTRATION events")
      }
      if let extensionValue = event.extensions["organizationid"]?.stringValue,
        !ContractValidator.sameIdentifier(extensionValue, organization)
      {
        throw DomainEventError.envelope("organizationid", "must equal data.tenantId")
      }
    }
  }

  /// The typed body, from the parsed tree when there is one, else (or when the tree decoder gives
  /// up) by `JSONDecoder` from the bytes.
  private static func makeBody(_ kind: DomainEventKind, from json: EventJSONValue?, bytes: [UInt8])
    throws(DomainEventError) -> DomainEventBody
  {
    func typed<T: Decodable>() throws(DomainEventError) -> T {
      if let json, let value = try? EventJSONValueDecoder.decode(T.self, from: json) { return value }
      return try DomainEventDecoder.typed(Data(bytes))
    }
    switch kind {
    case .patientCreated: return .patientCreated(try typed())
    case .patientUpdated: return .patientUpdated(try typed())
    case .patientVitalStatusChanged: return .patientVitalStatusChanged(try typed())
    case .patientDuplicateDetected: return .patientDuplicateDetected(try typed())
    case .patientUnidentifiedDuplicateReview: return .patientUnidentifiedDuplicateReview(try typed())
    case .patientMerged: return .patientMerged(try typed())
    case .patientUnmerged: return .patientUnmerged(try typed())
    case .encounterRegistered: return .encounterRegistered(try typed())
    case .encounterStatusChanged: return .encounterStatusChanged(try typed())
    case .progressNoteSigned: return .progressNoteSigned(try typed())
    case .pmReferralAccepted: return .pmReferralAccepted(try typed())
    case .faProgramCostAllocated: return .faProgramCostAllocated(try typed())
    case .clCrisisEpisodeResolved: return .clCrisisEpisodeResolved(try typed())
    case .clAssessmentExpired: return .clAssessmentExpired(try typed())
    case .clMoudMonitoringOverdue: return .clMoudMonitoringOverdue(try typed())
    case .clMoudAdherenceRisk: return .clMoudAdherenceRisk(try typed())
    case .clCareGapIdentified: return .clCareGapIdentified(try typed())
    case .clCrisisEpisodeOpened: return .clCrisisEpisodeOpened(try typed())
    case .clRestraintEventInitiated: return .clRestraintEventInitiated(try typed())
    case .clRestraintEventTerminated: return .clRestraintEventTerminated(try typed())
    case .clCareGapClosed: return .clCareGapClosed(try typed())
    case .ceLeadConvertedToPatient: return .ceLeadConvertedToPatient(try typed())
    case .ceLeadConvertedToResident: return .ceLeadConvertedToResident(try typed())
    case .ceLeadConverted: return .ceLeadConverted(try typed())
    case .pmPatientMerged: return .pmPatientMerged(try typed())
    }
  }

  /// Decodes the typed form. The contract table has already accepted the data, so a failure here
  /// means the table and the Swift type disagree; it is still reported as an invalid payload.
  private static func typed<T: Decodable>(_ data: Data) throws(DomainEventError) -> T {
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw DomainEventError.payload(path(of: error), "does not match the contract type")
    } catch {
      throw DomainEventError.payload("data", "does not match the contract type")
    }
  }

  private static func path(of error: DecodingError) -> String {
    let codingPath: [any CodingKey]
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      codingPath = context.codingPath
    case .keyNotFound(let key, let context):
      codingPath = context.codingPath + [key]
    @unknown default:
      codingPath = []
    }
    var path = ""
    for key in codingPath {
      if let index = key.intValue {
        path += "[\(index)]"
      } else {
        path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return path.isEmpty ? "data" : path
  }
}
