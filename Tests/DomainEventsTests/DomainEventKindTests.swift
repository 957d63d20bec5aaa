import CloudEvents
import DomainEvents
import XCTest

final class DomainEventKindTests: XCTestCase {
  private struct Expected {
    var subject: String
    var type: String
    var source: String
    var channel: String
    var publisher: String
    var dedupeKey: String
  }

  private static let registrationTenant = "aaaaaaaa-0000-0000-0000-000000000000"
  private static let patient = "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df"
  private static let encounter = "6a1d3b5a-2f4e-4c1b-9a7d-3e5f6a7b8c9d"
  private static let survivor = "11111111-1111-1111-1111-111111111111"
  private static let lead = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
  private static let organization = "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"

  private static func registration(_ name: String, ceSuffix: Int, domainId: String) -> Expected {
    Expected(
      subject: "REGISTRATION.\(name)", type: "ghasi.registration.\(name)", source: "ghasi/registration",
      channel: "REGISTRATION", publisher: "REGISTRATION",
      dedupeKey: "5f0c6f4e-8d7a-4b8e-9c1d-2a3b4c5d6e0\(ceSuffix)/\(domainId)")
  }

  private static func contract(_ name: String, channel: String, core: String, eventNumber: Int) -> Expected {
    Expected(
      subject: "\(channel).\(name)", type: "encoreos.\(core).\(name)", source: "encoreos/\(core)",
      channel: channel,
      publisher: core.uppercased(),
      dedupeKey: String(format: "e%07d-0000-4000-8000-%012d", eventNumber, eventNumber))
  }

  private static func leadKey(_ conversion: String) -> String {
    "\(organization)/\(lead)/\(conversion)/\(lead)_to_\(conversion)_1744884000000"
  }

  /// Written out by hand from the seeds and DESIGN §4–§5, independently of the implementation.
  private static let expected: [DomainEventKind: Expected] = [
    .patientCreated: registration("patient.created", ceSuffix: 1, domainId: patient),
    .patientUpdated: registration("patient.updated", ceSuffix: 2, domainId: patient),
    .patientVitalStatusChanged: registration("patient.vital-status-changed", ceSuffix: 3, domainId: patient),
    .patientDuplicateDetected: registration(
      "patient.duplicate-detected", ceSuffix: 4, domainId: registrationTenant),
    .patientUnidentifiedDuplicateReview: registration(
      "patient.unidentified-duplicate-review", ceSuffix: 5, domainId: "3c9e2f1a-7b6d-4e5c-8a9b-0c1d2e3f4a5b"),
    .patientMerged: registration("patient.merged", ceSuffix: 6, domainId: survivor),
    .patientUnmerged: registration("patient.unmerged", ceSuffix: 7, domainId: survivor),
    .encounterRegistered: registration("encounter.registered", ceSuffix: 8, domainId: encounter),
    .encounterStatusChanged: registration("encounter.status-changed", ceSuffix: 9, domainId: encounter),
    .progressNoteSigned: contract(
      "progress_note_signed", channel: "cl_pm_events", core: "cl", eventNumber: 1),
    .pmReferralAccepted: contract(
      "pm_referral_accepted", channel: "cl_pm_events", core: "pm", eventNumber: 2),
    .faProgramCostAllocated: contract(
      "fa_program_cost_allocated", channel: "fa_events", core: "fa", eventNumber: 3),
    .clCrisisEpisodeResolved: contract(
      "cl_crisis_episode_resolved", channel: "cl_pm_events", core: "cl", eventNumber: 4),
    .clAssessmentExpired: contract("cl_assessment_expired", channel: "cl_events", core: "cl", eventNumber: 5),
    .clMoudMonitoringOverdue: contract(
      "cl_moud_monitoring_overdue", channel: "cl_events", core: "cl", eventNumber: 6),
    .clMoudAdherenceRisk: contract(
      "cl_moud_adherence_risk", channel: "cl_events", core: "cl", eventNumber: 7),
    .clCareGapIdentified: contract(
      "cl_care_gap_identified", channel: "cl_events", core: "cl", eventNumber: 8),
    .clCrisisEpisodeOpened: contract(
      "cl_crisis_episode_opened", channel: "cl_events", core: "cl", eventNumber: 9),
    .clRestraintEventInitiated: contract(
      "cl_restraint_event_initiated", channel: "cl_events", core: "cl", eventNumber: 10),
    .clRestraintEventTerminated: contract(
      "cl_restraint_event_terminated", channel: "cl_events", core: "cl", eventNumber: 11),
    .clCareGapClosed: contract("cl_care_gap_closed", channel: "cl_events", core: "cl", eventNumber: 12),
    .ceLeadConvertedToPatient: {
      var value = contract("ce_lead_converted_to_patient", channel: "ce_events", core: "ce", eventNumber: 13)
      value.dedupeKey = leadKey("lead_to_patient")
      return value
    }(),
    .ceLeadConvertedToResident: {
      var value = contract("ce_lead_converted_to_resident", channel: "ce_events", core: "ce", eventNumber: 14)
      value.dedupeKey = leadKey("lead_to_resident")
      return value
    }(),
    .ceLeadConverted: {
      var value = contract("ce_lead_converted", channel: "ce_events", core: "ce", eventNumber: 15)
      value.dedupeKey = leadKey("lead_to_both")
      return value
    }(),
    .pmPatientMerged: {
      var value = contract("pm_patient_merged", channel: "pm_events", core: "pm", eventNumber: 16)
      value.dedupeKey = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
      return value
    }(),
  ]

  func testEveryKindIsCovered() {
    XCTAssertEqual(DomainEventKind.allCases.count, 25)
    XCTAssertEqual(Set(Self.expected.keys), Set(DomainEventKind.allCases))
    XCTAssertEqual(EventCatalog.all, DomainEventKind.allCases)
  }

  func testSubjectTypeSourceChannelPublisherPerKind() throws {
    for kind in DomainEventKind.allCases {
      let expected = try XCTUnwrap(Self.expected[kind])
      XCTAssertEqual(kind.subject, expected.subject, "\(kind)")
      XCTAssertEqual(kind.cloudEventType, expected.type, "\(kind)")
      XCTAssertEqual(kind.cloudEventSource, expected.source, "\(kind)")
      XCTAssertEqual(kind.channel, expected.channel, "\(kind)")
      XCTAssertEqual(kind.publisher, expected.publisher, "\(kind)")
      XCTAssertEqual(DomainEventKind(cloudEventType: expected.type), kind)
      XCTAssertEqual(kind.isRegistration, expected.channel == "REGISTRATION")
    }
  }

  func testDedupeKeyOfEveryFixture() throws {
    for kind in DomainEventKind.allCases {
      let expected = try XCTUnwrap(Self.expected[kind])
      let decoded = try DomainEventDecoder.decode(try Fixtures.cloudEvent(kind))
      XCTAssertEqual(decoded.kind, kind)
      XCTAssertEqual(decoded.dedupeKey, expected.dedupeKey, "\(kind)")
      XCTAssertEqual(decoded.cloudEvent.subject, nil)
    }
  }

  func testOrganizationAndCorrelation() throws {
    let registration = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.patientCreated))
    XCTAssertEqual(registration.organizationId, Self.registrationTenant)
    XCTAssertNil(registration.correlationId)
    XCTAssertNil(registration.metadata)

    let contract = try DomainEventDecoder.decode(try Fixtures.cloudEvent(.progressNoteSigned))
    XCTAssertEqual(contract.organizationId, Self.organization)
    XCTAssertEqual(contract.correlationId, "corr-progress_note_signed-1")
    XCTAssertEqual(contract.eventId, "e0000001-0000-4000-8000-000000000001")
    XCTAssertEqual(contract.metadata?.site_id, "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8")

    var withCorrelation = try Fixtures.cloudEvent(.patientUpdated)
    withCorrelation.extensions["correlationid"] = .string("registration-flow-7")
    XCTAssertEqual(try DomainEventDecoder.decode(withCorrelation).correlationId, "registration-flow-7")
  }

  func testUnknownAndNearMissTypes() {
    XCTAssertNil(DomainEventKind(cloudEventType: "encoreos.cl.unknown_event"))
    XCTAssertNil(DomainEventKind(cloudEventType: "progress_note_signed"))
    XCTAssertNil(DomainEventKind(cloudEventType: "encoreos.pm.progress_note_signed"))
    XCTAssertNil(DomainEventKind(cloudEventType: "ghasi.registration.patient.CREATED"))
    XCTAssertNil(DomainEventKind(cloudEventType: ""))
  }

  func testDeprecationAndRawValues() {
    XCTAssertEqual(DomainEventKind.allCases.filter(\.isDeprecated), [.ceLeadConverted])
    XCTAssertEqual(DomainEventKind.patientCreated.rawValue, "REGISTRATION.patient.created")
    XCTAssertEqual(DomainEventKind.progressNoteSigned.rawValue, "progress_note_signed")
    XCTAssertEqual(DomainEventKind(rawValue: "pm_patient_merged"), .pmPatientMerged)
    XCTAssertEqual(Set(DomainEventKind.allCases.map(\.cloudEventType)).count, 25)
    XCTAssertEqual(Set(DomainEventKind.allCases.map(\.subject)).count, 25)
  }

  func testKindIsCodableAsItsRawValue() throws {
    let data = try JSONEncoder().encode([DomainEventKind.clCareGapClosed])
    XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"cl_care_gap_closed\"]")
    XCTAssertEqual(try JSONDecoder().decode([DomainEventKind].self, from: data), [.clCareGapClosed])
  }

  func testSystemActor() {
    XCTAssertEqual(SystemActor.profileID, "00000000-0000-0000-0000-000000000001")
    XCTAssertTrue(ContractFormat.isUUID(SystemActor.profileID))
  }
}
