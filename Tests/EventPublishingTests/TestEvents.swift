import CloudEvents
import DomainEvents
import EventPublishing
import Foundation
import XCTest

/// Seed-valid and broken events for the publishing tests.
enum TestEvents {
  static let tenant = "aaaaaaaa-0000-0000-0000-000000000000"

  /// A lowercase random UUID.
  static func uuid() -> String { UUID().uuidString.lowercased() }

  /// A valid `REGISTRATION.patient.created` event as one structured-mode JSON line.
  static func patientCreatedLine(id: String = uuid(), patientId: String = uuid()) -> String {
    """
    {"specversion":"1.0","type":"ghasi.registration.patient.created","source":"ghasi/registration",\
    "id":"\(id)","time":"2026-04-17T10:00:00Z","datacontenttype":"application/json",\
    "data":{"patientId":"\(patientId)","stablePatientId":"\(patientId)","mrn":"PAT-AAAA-1739999999999",\
    "tenantId":"\(tenant)","isUnidentified":false,"isProvisional":false,"isNewborn":false,\
    "temporaryEnterpriseKey":null,"unidentifiedSlaDueAt":null}}
    """
  }

  /// A `REGISTRATION.patient.created` line whose `patientId` is not a UUID (breaks the contract).
  static func invalidContractLine(id: String = uuid()) -> String {
    patientCreatedLine(id: id).replacingOccurrences(
      of: "\"patientId\":\"", with: "\"patientId\":\"not-a-uuid-", options: [], range: nil)
  }

  /// A valid `REGISTRATION.patient.created` CloudEvent.
  static func patientCreated(id: String = uuid(), patientId: String = uuid()) throws -> CloudEvent {
    try CloudEventJSONFormat.decode(Array(patientCreatedLine(id: id, patientId: patientId).utf8))
  }

  /// A `REGISTRATION.patient.created` CloudEvent that breaks its contract.
  static func invalidContract(id: String = uuid()) throws -> CloudEvent {
    try CloudEventJSONFormat.decode(Array(invalidContractLine(id: id).utf8))
  }

  /// An event of a type outside the seed catalogue.
  static func unknownType(id: String = uuid()) -> CloudEvent {
    CloudEvent(
      id: id, source: "test/publishing", type: "test.publishing.ping", datacontenttype: "application/json",
      data: Array(#"{"ping":1}"#.utf8))
  }
}

/// Runs `body` and returns its `EventPublishingError`, failing the test when it does not throw one.
func publishingError(
  file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) -> EventPublishingError? {
  do {
    try body()
    XCTFail("expected an EventPublishingError", file: file, line: line)
  } catch let error as EventPublishingError {
    return error
  } catch {
    XCTFail("expected an EventPublishingError, got \(error)", file: file, line: line)
  }
  return nil
}
