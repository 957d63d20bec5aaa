import CloudEvents
import DomainEvents
import FleetLoad
import Foundation
import XCTest

final class RealismTests: XCTestCase {
  private var bodies: [DomainEventBody] {
    LoadSample.decoded.filter { !$0.0.isDuplicate }.map(\.1.body)
  }

  func testBillingCodesAndModifiersAreRealistic() {
    let codes = Set(ClinicalCodes.billingCodes)
    var seenCodes: Set<String> = []
    var seenModifiers: Set<String> = []
    var noteTypes: Set<String> = []
    for body in bodies {
      switch body {
      case .progressNoteSigned(let envelope):
        let payload = envelope.payload
        XCTAssertTrue(Set(payload.billing_codes).isSubset(of: codes), "\(payload.billing_codes)")
        XCTAssertTrue(Set(payload.modifiers ?? []).isSubset(of: Set(ClinicalCodes.modifiers)))
        XCTAssertNotEqual(payload.modifiers, [], "no modifiers is an absent member, not an empty list")
        XCTAssertTrue(
          payload.cosigned || !payload.requires_cosignature, "a signed note is co-signed when required")
        seenCodes.formUnion(payload.billing_codes)
        seenModifiers.formUnion(payload.modifiers ?? [])
        noteTypes.insert(payload.note_type)
      case .clCrisisEpisodeResolved(let envelope):
        XCTAssertTrue(codes.contains(envelope.payload.billing_code))
        seenCodes.insert(envelope.payload.billing_code)
      default:
        break
      }
    }
    XCTAssertEqual(seenCodes, codes, "every listed CPT/HCPCS code is used")
    XCTAssertEqual(seenModifiers, Set(ClinicalCodes.modifiers))
    XCTAssertEqual(noteTypes, ["individual", "group", "family", "crisis"])
  }

  func testAutomatedEventsUseTheSystemActor() {
    var automated = 0
    for body in bodies {
      switch body {
      case .clAssessmentExpired(let envelope as any ContractMetadataCarrier),
        .clMoudMonitoringOverdue(let envelope as any ContractMetadataCarrier),
        .clMoudAdherenceRisk(let envelope as any ContractMetadataCarrier),
        .clCareGapIdentified(let envelope as any ContractMetadataCarrier):
        automated += 1
        XCTAssertEqual(envelope.userID, SystemActor.profileID)
      case .clCareGapClosed(let envelope):
        XCTAssertEqual(envelope.metadata.user_id, envelope.payload.closed_by)
      default:
        if let metadata = body.metadata {
          XCTAssertNotEqual(metadata.user_id, SystemActor.profileID, "\(body.kind) is published by a person")
        }
      }
    }
    XCTAssertGreaterThan(automated, 100)
  }

  func testReferralsAndCrisesAreMixed() {
    var priorities: Set<String> = []
    var serviceTypes: Set<String> = []
    var withoutChart = 0
    var withChart = 0
    var risks: Set<String> = []
    for body in bodies {
      switch body {
      case .pmReferralAccepted(let envelope):
        priorities.insert(envelope.payload.priority)
        XCTAssertNotEqual(envelope.payload.referring_provider_id, envelope.payload.accepting_provider_id)
        serviceTypes.insert(envelope.payload.service_type)
        if envelope.payload.chart_id == nil { withoutChart += 1 } else { withChart += 1 }
      case .clCrisisEpisodeOpened(let envelope):
        risks.insert(envelope.payload.risk_level)
        XCTAssertNotNil(envelope.metadata.site_id)
      default:
        break
      }
    }
    XCTAssertEqual(priorities, ["routine", "urgent", "emergent"])
    XCTAssertEqual(serviceTypes, Set(ClinicalCodes.serviceTypes))
    XCTAssertGreaterThan(withoutChart, 0)
    XCTAssertGreaterThan(withChart, 0)
    XCTAssertEqual(risks, Set(ClinicalCodes.riskLevels))
  }

  func testConversionVariantsAppear() {
    var types: Set<String> = []
    var kinds: Set<DomainEventKind> = []
    for body in bodies {
      switch body {
      case .ceLeadConvertedToPatient(let envelope), .ceLeadConvertedToResident(let envelope),
        .ceLeadConverted(let envelope):
        types.insert(envelope.payload.conversion_type)
        kinds.insert(body.kind)
        XCTAssertNil(envelope.payload.notes, "no free text")
      default:
        break
      }
    }
    XCTAssertEqual(types, ["lead_to_patient", "lead_to_resident", "lead_to_both"])
    XCTAssertEqual(kinds, [.ceLeadConvertedToPatient, .ceLeadConvertedToResident, .ceLeadConverted])
  }

  func testPayloadStringsAreIdentifiersOrCodes() throws {
    // Every string leaf is a UUID, a date/time, a code made of [A-Za-z0-9_-] (MRNs, CPT, keys), a
    // CE-29 correlation id, or one of the catalog's fixed texts: never narrative.
    let fixedTexts: Set<String> =
      Set(ClinicalCodes.careGaps.map(\.description)).union([
        ClinicalCodes.restraintAction, "Schedule and complete reassessment",
        "Complete overdue MOUD monitoring",
        "Urgent clinical review — MOUD adherence risk", "Review and close care gap",
        "Crisis episode opened — immediate supervisor review",
      ])
    func check(_ value: Any, _ path: String) {
      switch value {
      case let text as String:
        let isCode =
          !text.isEmpty
          && text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "_-:.".unicodeScalars.contains($0)
          }
        XCTAssertTrue(
          isCode || fixedTexts.contains(text) || ContractFormat.isDateOrDateTime(text),
          "\(path) is not an identifier or code")
      case let array as [Any]:
        for (index, element) in array.enumerated() { check(element, "\(path)[\(index)]") }
      case let object as [String: Any]:
        for (key, element) in object { check(element, "\(path).\(key)") }
      default:
        break
      }
    }
    for (generated, _) in LoadSample.decoded.prefix(1_500) {
      let data = try XCTUnwrap(generated.event.data)
      check(try JSONSerialization.jsonObject(with: Data(data)), generated.kind?.rawValue ?? "?")
    }
  }
}

/// Lets one `case` pattern read the metadata of envelopes with different payload types.
protocol ContractMetadataCarrier {
  var userID: String { get }
}

extension ContractEnvelope: ContractMetadataCarrier {
  var userID: String { metadata.user_id }
}
