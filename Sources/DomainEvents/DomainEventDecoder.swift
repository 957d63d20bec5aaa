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
    guard let kind = DomainEventKind(cloudEventType: event.type) else {
      throw DomainEventError(
        code: .unknownType, field: "type",
        reason: "no contract for CloudEvents type \"\(String(event.type.unicodeScalars.prefix(120)))\"")
    }
    if let violation = event.validationErrors().first {
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
    let data = Data(bytes)
    let json: EventJSONValue
    do {
      json = try JSONDecoder().decode(EventJSONValue.self, from: data)
    } catch {
      throw DomainEventError.payload("data", "is not valid JSON")
    }
    guard let spec = EventCatalog.specs[kind] else {
      throw DomainEventError(code: .unknownType, field: "type", reason: "no contract table entry")
    }
    try ContractValidator.validate(json, against: spec)
    let body = try makeBody(kind, from: data)
    try checkConsistency(of: event, with: body)
    return DecodedDomainEvent(kind: kind, cloudEvent: event, body: body)
  }

  /// `application/json` or any `*/*+json` media type, parameters ignored.
  static func isJSONMediaType(_ contentType: String) -> Bool {
    let essence =
      contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    return essence == "application/json" || (essence.contains("/") && essence.hasSuffix("+json"))
  }

  private static func checkConsistency(of event: CloudEvent, with body: DomainEventBody)
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

  private static func makeBody(_ kind: DomainEventKind, from data: Data) throws(DomainEventError)
    -> DomainEventBody
  {
    switch kind {
    case .patientCreated: return .patientCreated(try typed(data))
    case .patientUpdated: return .patientUpdated(try typed(data))
    case .patientVitalStatusChanged: return .patientVitalStatusChanged(try typed(data))
    case .patientDuplicateDetected: return .patientDuplicateDetected(try typed(data))
    case .patientUnidentifiedDuplicateReview: return .patientUnidentifiedDuplicateReview(try typed(data))
    case .patientMerged: return .patientMerged(try typed(data))
    case .patientUnmerged: return .patientUnmerged(try typed(data))
    case .encounterRegistered: return .encounterRegistered(try typed(data))
    case .encounterStatusChanged: return .encounterStatusChanged(try typed(data))
    case .progressNoteSigned: return .progressNoteSigned(try typed(data))
    case .pmReferralAccepted: return .pmReferralAccepted(try typed(data))
    case .faProgramCostAllocated: return .faProgramCostAllocated(try typed(data))
    case .clCrisisEpisodeResolved: return .clCrisisEpisodeResolved(try typed(data))
    case .clAssessmentExpired: return .clAssessmentExpired(try typed(data))
    case .clMoudMonitoringOverdue: return .clMoudMonitoringOverdue(try typed(data))
    case .clMoudAdherenceRisk: return .clMoudAdherenceRisk(try typed(data))
    case .clCareGapIdentified: return .clCareGapIdentified(try typed(data))
    case .clCrisisEpisodeOpened: return .clCrisisEpisodeOpened(try typed(data))
    case .clRestraintEventInitiated: return .clRestraintEventInitiated(try typed(data))
    case .clRestraintEventTerminated: return .clRestraintEventTerminated(try typed(data))
    case .clCareGapClosed: return .clCareGapClosed(try typed(data))
    case .ceLeadConvertedToPatient: return .ceLeadConvertedToPatient(try typed(data))
    case .ceLeadConvertedToResident: return .ceLeadConvertedToResident(try typed(data))
    case .ceLeadConverted: return .ceLeadConverted(try typed(data))
    case .pmPatientMerged: return .pmPatientMerged(try typed(data))
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
