import StreamTopology
import XCTest

/// Every event type reaches every service that must see it (DESIGN §6 and brief H5), and no other.
final class TopologyCoverageTests: XCTestCase {
  private static let chargeCapture = "WQ_CHARGE_CAPTURE"
  private static let careTransitions = "WQ_CARE_TRANSITIONS"
  private static let leadReconciliation = "WQ_LEAD_RECONCILIATION"
  private static let grIncidents = "WQ_GR_INCIDENTS"

  /// subject → (history stream that stores it, work streams that must receive it).
  private static let table: [(subject: String, history: String, services: Set<String>)] = [
    // REGISTRATION (seed 001)
    ("REGISTRATION.patient.created", "REGISTRATION", [leadReconciliation]),
    ("REGISTRATION.patient.updated", "REGISTRATION", []),
    ("REGISTRATION.patient.vital-status-changed", "REGISTRATION", [careTransitions]),
    ("REGISTRATION.patient.duplicate-detected", "REGISTRATION", []),
    ("REGISTRATION.patient.unidentified-duplicate-review", "REGISTRATION", []),
    ("REGISTRATION.patient.merged", "REGISTRATION", [careTransitions, leadReconciliation]),
    ("REGISTRATION.patient.unmerged", "REGISTRATION", [careTransitions, leadReconciliation]),
    ("REGISTRATION.encounter.registered", "REGISTRATION", [chargeCapture]),
    ("REGISTRATION.encounter.status-changed", "REGISTRATION", [chargeCapture]),
    // CL <-> PM and FA (seed 003)
    ("cl_pm_events.progress_note_signed", "CL_PM_EVENTS", [chargeCapture]),
    ("cl_pm_events.cl_crisis_episode_resolved", "CL_PM_EVENTS", [chargeCapture]),
    ("cl_pm_events.pm_referral_accepted", "CL_PM_EVENTS", [careTransitions]),
    ("fa_events.fa_program_cost_allocated", "FA_EVENTS", [careTransitions]),
    // PM merge (seed 002)
    ("pm_events.pm_patient_merged", "PM_EVENTS", [careTransitions, leadReconciliation]),
    // CE-29 (seed 000)
    ("ce_events.ce_lead_converted_to_patient", "CE_EVENTS", [leadReconciliation]),
    ("ce_events.ce_lead_converted_to_resident", "CE_EVENTS", [leadReconciliation]),
    ("ce_events.ce_lead_converted", "CE_EVENTS", [leadReconciliation]),
    // CL -> FW / GR (seed 004); the FW-only events stay in history.
    ("cl_events.cl_crisis_episode_opened", "CL_EVENTS", [grIncidents]),
    ("cl_events.cl_restraint_event_initiated", "CL_EVENTS", [grIncidents]),
    ("cl_events.cl_restraint_event_terminated", "CL_EVENTS", [grIncidents]),
    ("cl_events.cl_assessment_expired", "CL_EVENTS", []),
    ("cl_events.cl_moud_monitoring_overdue", "CL_EVENTS", []),
    ("cl_events.cl_moud_adherence_risk", "CL_EVENTS", []),
    ("cl_events.cl_care_gap_identified", "CL_EVENTS", []),
    ("cl_events.cl_care_gap_closed", "CL_EVENTS", []),
    // Operational streams
    ("dlq.charge-capture.cl_pm_events.progress_note_signed", "DLQ", []),
    ("notifications.billing.manual_review", "NOTIFICATIONS", []),
  ]

  func testEverySubjectReachesExactlyTheServicesThatMustSeeIt() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    for row in Self.table {
      XCTAssertEqual(Set(topology.workStreams(receiving: row.subject)), row.services, row.subject)
    }
  }

  func testEverySubjectIsStoredByExactlyOneHistoryStream() throws {
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    for row in Self.table {
      XCTAssertEqual(topology.streams(capturing: row.subject), [row.history], row.subject)
    }
  }

  func testEveryWorkStreamSubjectIsInTheTable() throws {
    // A source filter added without a table row (or a typo in one) fails here.
    let topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    for stream in topology.streams where stream.isWorkQueue {
      for source in stream.sourcedSubjects {
        let covered = Self.table.contains { row in
          row.services.contains(stream.name)
            && SubjectMatch.matches(subject: row.subject, filter: source.subject)
        }
        XCTAssertTrue(
          covered, "\(stream.name) sources \(source.subject) from \(source.stream) without a table row")
      }
    }
  }

  func testAWorkStreamMissingASourceIsDetected() throws {
    var topology = try Topology.load(directory: TopologyFixture.streamsDirectory)
    let index = try XCTUnwrap(topology.streams.firstIndex { $0.name == Self.grIncidents })
    topology.streams[index] = try StreamDefinition(config: [
      "name": .string(Self.grIncidents), "retention": "workqueue",
      "sources": [
        ["name": "CL_EVENTS", "subject_transforms": [["src": "cl_events.cl_crisis_episode_opened"]]]
      ],
    ])
    XCTAssertEqual(topology.workStreams(receiving: "cl_events.cl_crisis_episode_opened"), [Self.grIncidents])
    XCTAssertEqual(topology.workStreams(receiving: "cl_events.cl_restraint_event_initiated"), [])
  }
}
