import CareTransitions
import XCTest

final class CareTransitionsConfigurationTests: XCTestCase {
  private let organization = "8D0F6A8E-3C2B-4F5E-9A1B-2C3D4E5F6A7B"
  private let coordinatorA = "0b0c0d0e-0000-4000-8000-0000000000a1"
  private let coordinatorB = "0b0c0d0e-0000-4000-8000-0000000000b2"

  private func load(_ json: String) throws -> CareTransitionsConfiguration {
    try CareTransitionsConfiguration.load(json: Array(json.utf8))
  }

  private func assertRejected(_ json: String, mentioning fragment: String, line: UInt = #line) {
    XCTAssertThrowsError(try load(json), line: line) { error in
      guard let error = error as? CareTransitionsConfigurationError else {
        return XCTFail("unexpected error \(error)", line: line)
      }
      XCTAssertTrue(error.description.contains(fragment), "\(error.description)", line: line)
    }
  }

  func testNilGivesDefaults() throws {
    let configuration = try CareTransitionsConfiguration.load(json: nil)
    XCTAssertEqual(configuration, .defaults)
    XCTAssertEqual(configuration.chartCreationRole, "health_information")
    XCTAssertEqual(configuration.coordinationLeadRole, "care_coordination_lead")
    XCTAssertTrue(configuration.organizations.isEmpty)
  }

  func testDocumentedExampleParsesWithDefaultsForOmittedKeys() throws {
    let configuration = try load(
      """
      {
        "chart_creation_role": "him",
        "organizations": {
          "\(organization)": {
            "coordinators": [
              {"id": "\(coordinatorA.uppercased())", "service_types": ["Behavioral_Health", "substance_use"], "max_active": 10},
              {"id": "\(coordinatorB)", "service_types": ["psychiatric"]}
            ],
            "default_coordinator_ids": ["\(coordinatorB)"],
            "urgent_first": false
          }
        }
      }
      """)
    XCTAssertEqual(configuration.chartCreationRole, "him")
    XCTAssertEqual(configuration.coordinationLeadRole, "care_coordination_lead")
    let rules = try XCTUnwrap(configuration.rules(for: organization.lowercased()))
    XCTAssertEqual(configuration.rules(for: organization), rules, "organization ids match case-insensitively")
    XCTAssertEqual(rules.coordinators.map(\.id), [coordinatorA, coordinatorB])
    XCTAssertEqual(rules.coordinators[0].serviceTypes, ["behavioral_health", "substance_use"])
    XCTAssertEqual(rules.coordinators[0].maxActive, 10)
    XCTAssertEqual(rules.coordinators[1].maxActive, CareCoordinator.defaultMaxActive)
    XCTAssertEqual(rules.defaultCoordinatorIds, [coordinatorB])
    XCTAssertEqual(rules.defaultMaxActive, 25)
    XCTAssertFalse(rules.urgentFirst)

    // What it encodes loads back to the same value.
    let encoded = try JSONEncoder().encode(configuration)
    XCTAssertEqual(try CareTransitionsConfiguration.load(json: Array(encoded)), configuration)
  }

  func testUnknownKeysAreRejectedAtEveryLevel() {
    assertRejected(#"{"organisations": {}}"#, mentioning: "organisations")
    assertRejected(
      #"{"organizations": {"o": {"urgentFirst": true}}}"#, mentioning: "urgentFirst")
    assertRejected(
      #"{"organizations": {"o": {"coordinators": [{"id": "c", "max_actve": 3}]}}}"#, mentioning: "max_actve")
  }

  func testInvalidValuesAreRejected() {
    assertRejected(
      #"{"organizations": {"o": {"coordinators": [{"id": "c", "max_active": -1}]}}}"#, mentioning: "negative")
    assertRejected(
      #"{"organizations": {"o": {"coordinators": [{"id": "c"}, {"id": "C"}]}}}"#, mentioning: "twice")
    assertRejected(#"{"organizations": {"o": {"coordinators": [{"id": ""}]}}}"#, mentioning: "empty id")
    assertRejected(#"{"organizations": {"o": {}, "O": {}}}"#, mentioning: "twice")
    assertRejected(#"{"chart_creation_role": ""}"#, mentioning: "chart_creation_role")
    assertRejected(#"{"organizations": {"o": {"coordinators": [{"id": 5}]}}}"#, mentioning: "id")
    assertRejected("{not json", mentioning: "not valid")
  }

  // MARK: the assignment rule as a pure function

  private func decide(
    _ rules: CoordinatorAssignmentRules?, serviceType: String = "behavioral_health", urgent: Bool = false,
    loads: [String: Int]
  ) -> CoordinatorAssignment {
    CoordinatorAssignment.decide(serviceType: serviceType, urgent: urgent, rules: rules) { loads[$0] ?? 0 }
  }

  func testFewestActiveBelowMaxWinsAndTiesGoToTheLowestId() {
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorB, serviceTypes: ["behavioral_health"], maxActive: 3),
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"], maxActive: 3),
    ])
    XCTAssertEqual(decide(rules, loads: [:]).coordinatorId, coordinatorA)
    XCTAssertEqual(decide(rules, loads: [coordinatorA: 2, coordinatorB: 1]).coordinatorId, coordinatorB)
    let assignment = decide(rules, loads: [coordinatorA: 3, coordinatorB: 2])
    XCTAssertEqual(assignment.coordinatorId, coordinatorB)
    XCTAssertEqual(assignment.activeBefore, 2)
    XCTAssertEqual(assignment.reason, .fewestActive)
    XCTAssertEqual(assignment.pool, .serviceType)
  }

  func testUrgentFirstDecidesWhetherUrgentReferralsExceedMaxActive() {
    var rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorA, serviceTypes: ["behavioral_health"], maxActive: 1),
      CareCoordinator(id: coordinatorB, serviceTypes: ["behavioral_health"], maxActive: 1),
    ])
    let full = [coordinatorA: 4, coordinatorB: 2]
    XCTAssertEqual(decide(rules, urgent: false, loads: full).reason, .allAtCapacity)
    XCTAssertNil(decide(rules, urgent: false, loads: full).coordinatorId)
    XCTAssertEqual(decide(rules, urgent: true, loads: full).coordinatorId, coordinatorB, "least loaded")
    XCTAssertEqual(decide(rules, urgent: true, loads: full).reason, .urgentOverCapacity)
    rules.urgentFirst = false
    XCTAssertNil(decide(rules, urgent: true, loads: full).coordinatorId)
  }

  func testDefaultPoolUsesEntryMaxActiveOrDefaultMaxActive() {
    let rules = CoordinatorAssignmentRules(
      coordinators: [CareCoordinator(id: coordinatorA, serviceTypes: ["substance_use"], maxActive: 1)],
      defaultCoordinatorIds: [coordinatorA, coordinatorB], defaultMaxActive: 2)
    let (pool, candidates) = rules.candidates(for: "psychiatric")
    XCTAssertEqual(pool, .defaults)
    XCTAssertEqual(candidates.map(\.maxActive), [1, 2])
    XCTAssertEqual(
      decide(rules, serviceType: "psychiatric", loads: [coordinatorA: 1, coordinatorB: 1]).coordinatorId,
      coordinatorB)
    XCTAssertNil(
      decide(rules, serviceType: "psychiatric", loads: [coordinatorA: 1, coordinatorB: 2]).coordinatorId)
  }

  func testNoRulesOrNoCandidatesLeavesTheReferralUnassigned() {
    XCTAssertEqual(
      decide(nil, urgent: true, loads: [:]),
      CoordinatorAssignment(coordinatorId: nil, pool: .none, reason: .noCandidates))
    let rules = CoordinatorAssignmentRules(coordinators: [
      CareCoordinator(id: coordinatorA, serviceTypes: ["substance_use"])
    ])
    XCTAssertEqual(decide(rules, serviceType: "psychiatric", urgent: true, loads: [:]).reason, .noCandidates)
  }
}
