import CloudEvents
import DomainEvents
import FleetLoad
import Foundation
import XCTest

final class ReferentialConsistencyTests: XCTestCase {
  /// Original (non-duplicate) valid events, decoded, in order.
  private var originals: [(GeneratedEvent, DecodedDomainEvent)] {
    LoadSample.decoded.filter { !$0.0.isDuplicate }
  }

  func testEveryNoteFollowsItsEncounterRegistrationInTheSameOrganization() {
    var registered: [String: String] = [:]  // encounter → organization
    var statusChanges = 0
    var notes = 0
    for (_, decoded) in originals {
      switch decoded.body {
      case .encounterRegistered(let data):
        registered[data.encounterId] = data.tenantId
      case .encounterStatusChanged(let data):
        statusChanges += 1
        XCTAssertEqual(registered[data.encounterId], data.tenantId, "status change of an unknown encounter")
      case .progressNoteSigned(let envelope):
        notes += 1
        XCTAssertEqual(
          registered[envelope.payload.encounter_id], envelope.metadata.organization_id,
          "note \(envelope.metadata.event_id) references an encounter not registered earlier in its org")
      case .clCrisisEpisodeResolved(let envelope):
        if let encounter = envelope.payload.encounter_id {
          XCTAssertEqual(registered[encounter], envelope.metadata.organization_id)
        }
      default:
        break
      }
    }
    XCTAssertGreaterThan(notes, 100)
    XCTAssertGreaterThan(statusChanges, 100)
  }

  func testEveryTerminationFollowsItsInitiation() {
    var initiated: [String: (organization: String, initiation: String, chart: String)] = [:]
    var terminated = 0
    var exceeded = 0
    var faceToFace = 0
    for (_, decoded) in originals {
      switch decoded.body {
      case .clRestraintEventInitiated(let envelope):
        initiated[envelope.payload.entity_id] = (
          envelope.metadata.organization_id, envelope.payload.initiation_time, envelope.payload.chart_id
        )
      case .clRestraintEventTerminated(let envelope):
        terminated += 1
        guard let start = initiated[envelope.payload.restraint_id] else {
          XCTFail("termination \(envelope.payload.restraint_id) without an earlier initiation")
          continue
        }
        XCTAssertEqual(start.organization, envelope.metadata.organization_id)
        XCTAssertEqual(start.initiation, envelope.payload.initiation_time)
        let begin = ContractFormat.dateTime(envelope.payload.initiation_time)
        let end = ContractFormat.dateTime(envelope.payload.termination_time)
        let reported = ContractFormat.dateTime(envelope.metadata.timestamp)
        XCTAssertNotNil(begin)
        if let begin, let end, let reported {
          XCTAssertLessThan(begin, end)
          XCTAssertLessThanOrEqual(end, reported, "a termination is reported after it happened")
        }
        if envelope.payload.duration_exceeded == true { exceeded += 1 }
        if envelope.payload.face_to_face_required_flag {
          faceToFace += 1
          XCTAssertNotNil(envelope.payload.scheduled_face_to_face_deadline)
        }
      default:
        break
      }
    }
    XCTAssertGreaterThan(terminated, 20)
    XCTAssertGreaterThan(exceeded, 0, "some restraints exceed their limit")
    XCTAssertGreaterThan(faceToFace, 0, "some terminations still require a face-to-face")
  }

  func testMergesUseEarlierPatientsAndUnmergesFollowTheirMerge() {
    var created: [String: String] = [:]  // patient → organization
    var registrationMerges: Set<String> = []
    var pmMerges: Set<String> = []
    var unmerges = 0
    func pair(_ survivor: String, _ source: String, _ organization: String) -> String {
      "\(organization)/\(survivor)/\(source)"
    }
    for (_, decoded) in originals {
      switch decoded.body {
      case .patientCreated(let data):
        created[data.patientId] = data.tenantId
      case .pmPatientMerged(let envelope):
        let payload = envelope.payload
        XCTAssertNotEqual(payload.survivor_patient_id, payload.merged_patient_id)
        XCTAssertEqual(created[payload.survivor_patient_id], payload.organization_id)
        XCTAssertEqual(created[payload.merged_patient_id], payload.organization_id)
        pmMerges.insert(pair(payload.survivor_patient_id, payload.merged_patient_id, payload.organization_id))
      case .patientMerged(let data):
        XCTAssertEqual(created[data.survivorId], data.tenantId)
        XCTAssertEqual(created[data.sourceId], data.tenantId)
        let key = pair(data.survivorId, data.sourceId, data.tenantId)
        XCTAssertTrue(pmMerges.contains(key), "REGISTRATION.patient.merged follows pm_patient_merged")
        registrationMerges.insert(key)
      case .patientUnmerged(let data):
        unmerges += 1
        XCTAssertTrue(
          registrationMerges.contains(pair(data.survivorId, data.sourceId, data.tenantId)),
          "unmerge without an earlier merge of the same pair")
      default:
        break
      }
    }
    XCTAssertGreaterThan(registrationMerges.count, 5)
    XCTAssertGreaterThan(unmerges, 0)
  }

  func testPatientCreatedAfterConversionCarriesItsCorrelationID() {
    var conversions: [String: (organization: String, patient: String?)] = [:]
    var followed = 0
    for (generated, decoded) in originals {
      switch decoded.body {
      case .ceLeadConvertedToPatient(let envelope), .ceLeadConvertedToResident(let envelope),
        .ceLeadConverted(let envelope):
        XCTAssertEqual(envelope.payload.correlation_id, envelope.metadata.correlation_id)
        XCTAssertTrue(envelope.payload.correlation_id.hasPrefix("\(envelope.payload.lead_id)_to_"))
        conversions[envelope.payload.correlation_id] = (
          envelope.payload.organization_id, envelope.payload.patient_id
        )
      case .patientCreated(let data) where generated.flow == .leadConversion:
        followed += 1
        guard let correlation = generated.event.extensions["correlationid"]?.stringValue,
          let conversion = conversions[correlation]
        else {
          XCTFail("patient.created of a conversion without the conversion's correlation id")
          continue
        }
        XCTAssertEqual(conversion.organization, data.tenantId)
        if let patient = conversion.patient { XCTAssertEqual(patient, data.patientId) }
        XCTAssertNil(
          conversions.values.first { $0.patient == data.patientId && $0.organization != data.tenantId })
      case .patientCreated:
        XCTAssertNil(generated.event.extensions["correlationid"])
      default:
        break
      }
    }
    XCTAssertGreaterThan(followed, 20)
  }

  func testClinicalEventsReferenceChartsOfCreatedPatients() {
    var charts: [String: String] = [:]  // crisis → chart
    var patients: [String: String] = [:]  // patient → organization
    var openedCrises: [String: String] = [:]  // crisis → organization
    for (_, decoded) in originals {
      switch decoded.body {
      case .patientCreated(let data):
        patients[data.patientId] = data.tenantId
      case .pmReferralAccepted(let envelope):
        XCTAssertEqual(patients[envelope.payload.patient_id], envelope.metadata.organization_id)
      case .clCrisisEpisodeOpened(let envelope):
        openedCrises[envelope.payload.entity_id] = envelope.metadata.organization_id
        charts[envelope.payload.entity_id] = envelope.payload.chart_id
      case .clCrisisEpisodeResolved(let envelope):
        XCTAssertEqual(openedCrises[envelope.payload.entity_id], envelope.metadata.organization_id)
        XCTAssertEqual(charts[envelope.payload.entity_id], envelope.payload.chart_id)
      case .clRestraintEventInitiated(let envelope):
        if let crisis = envelope.payload.crisis_episode_id {
          XCTAssertEqual(openedCrises[crisis], envelope.metadata.organization_id)
          XCTAssertEqual(charts[crisis], envelope.payload.chart_id)
        }
      case .clRestraintEventTerminated(let envelope):
        XCTAssertEqual(patients[envelope.payload.patient_id], envelope.metadata.organization_id)
      default:
        break
      }
    }
  }

  func testFlowsInterleave() {
    // Some encounter's note is not the event right after its registration.
    var registeredAt: [String: Int] = [:]
    var gaps: [Int] = []
    for (index, generated) in LoadSample.events.enumerated() where !generated.isDuplicate {
      guard generated.invalidity == nil, let decoded = try? DomainEventDecoder.decode(generated.event) else {
        continue
      }
      if case .encounterRegistered(let data) = decoded.body { registeredAt[data.encounterId] = index }
      if case .progressNoteSigned(let envelope) = decoded.body,
        let start = registeredAt[envelope.payload.encounter_id]
      {
        gaps.append(index - start)
      }
    }
    XCTAssertFalse(gaps.isEmpty)
    XCTAssertGreaterThan(gaps.filter { $0 > 3 }.count, gaps.count / 2)
    XCTAssertGreaterThan(Set(LoadSample.events.prefix(40).map(\.flow)).count, 2)
  }
}
