import CloudEvents
import DomainEvents
import Foundation
import GRIncidents
import XCTest

/// The PHI sanitizer (hashing of undocumented fields) and the gr-incidents configuration.
final class GRIncidentsSanitizerTests: XCTestCase {
  private let organization = "8d0f6a8e-3c2b-4f5e-9a1b-2c3d4e5f6a7b"
  private let profile = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

  // MARK: - Hashing

  func testHashIsSHA256OfTheUTF8Text() {
    // FIPS 180-4 / NIST test vectors, including the two-block message.
    XCTAssertEqual(
      LedgerPayloadSanitizer.hashed(""),
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(
      LedgerPayloadSanitizer.hashed("abc"),
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      LedgerPayloadSanitizer.hashed("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    XCTAssertEqual(
      LedgerPayloadSanitizer.hashed(String(repeating: "a", count: 1000)),
      "sha256:41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  // MARK: - sanitizedData

  func testOnlyUndocumentedMembersAreHashed() throws {
    let json = """
      {"event":"cl_crisis_episode_opened","publisher":"CL","subscriber":["FW","GR"],"extra":"Jane",
       "payload":{"entity_id":"e","entity_type":"crisis_episode","risk_level":"high","name":"Jane",
         "count":3,"flag":true,"nothing":null,"list":["a",{"deep":"b"}]},
       "metadata":{"organization_id":"o","event_id":"id","free":"text"}}
      """
    let bytes = try XCTUnwrap(
      LedgerPayloadSanitizer.sanitizedData(Array(json.utf8), kind: .clCrisisEpisodeOpened))
    let value = try JSONDecoder().decode(EventJSONValue.self, from: Data(bytes))
    guard case .object(let top) = value, case .object(let payload)? = top["payload"],
      case .object(let metadata)? = top["metadata"]
    else { return XCTFail("not an object") }
    let hash = LedgerPayloadSanitizer.hashed
    XCTAssertEqual(top["event"], .string("cl_crisis_episode_opened"))
    XCTAssertEqual(top["subscriber"], .array([.string("FW"), .string("GR")]))
    XCTAssertEqual(top["extra"], .string(hash("Jane")))
    XCTAssertEqual(payload["entity_id"], .string("e"))
    XCTAssertEqual(payload["risk_level"], .string("high"))
    XCTAssertEqual(payload["name"], .string(hash("Jane")))
    XCTAssertEqual(payload["count"], .string(hash("3")))
    XCTAssertEqual(payload["flag"], .bool(true))
    XCTAssertEqual(payload["nothing"], .null)
    XCTAssertEqual(payload["list"], .array([.string(hash("a")), .object(["deep": .string(hash("b"))])]))
    XCTAssertEqual(metadata["organization_id"], .string("o"))
    XCTAssertEqual(metadata["free"], .string(hash("text")))
  }

  func testDataThatIsNotAnObjectIsDropped() {
    XCTAssertNil(
      LedgerPayloadSanitizer.sanitizedData(Array("not json".utf8), kind: .clRestraintEventInitiated))
    XCTAssertNil(LedgerPayloadSanitizer.sanitizedData(Array("[1,2]".utf8), kind: .clRestraintEventInitiated))
    let event = CloudEvent(
      id: "1", source: "encoreos/cl", type: "encoreos.cl.cl_restraint_event_initiated", subject: "Jane Doe",
      extensions: ["traceparent": .string("00-abc"), "age": .integer(34)], data: Array("{oops".utf8))
    let sanitized = LedgerPayloadSanitizer.sanitized(event, kind: .clRestraintEventInitiated)
    XCTAssertNil(sanitized.data)
    XCTAssertEqual(sanitized.subject, LedgerPayloadSanitizer.hashed("Jane Doe"))
    XCTAssertEqual(sanitized.extensions["traceparent"], .string("00-abc"))
    XCTAssertEqual(sanitized.extensions["age"], .string(LedgerPayloadSanitizer.hashed("34")))
  }

  func testDocumentedFieldsCoverTheTypedPayloads() throws {
    // Every member the typed payload encodes is documented, so a valid event is stored unchanged.
    let payload = RestraintEventTerminatedPayload(
      restraint_id: "r", patient_id: "p", initiation_time: "i", termination_time: "t",
      termination_reason: "x",
      face_to_face_required_flag: true, scheduled_face_to_face_deadline: "d", duration_exceeded: true,
      crisis_episode_id: "c")
    let encoded = try JSONEncoder().encode(payload)
    let members = try XCTUnwrap(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    XCTAssertEqual(
      Set(members.keys), LedgerPayloadSanitizer.documentedPayloadFields(of: .clRestraintEventTerminated))

    let initiated = RestraintEventInitiatedPayload(
      entity_id: "e", chart_id: "c", event_type: "t", patient_age_group: "a", max_duration_hours: 1,
      initiation_time: "i", action_required: "x", crisis_episode_id: "c", supervisor_id: "s")
    let initiatedMembers = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: try JSONEncoder().encode(initiated)) as? [String: Any])
    XCTAssertEqual(
      Set(initiatedMembers.keys),
      LedgerPayloadSanitizer.documentedPayloadFields(of: .clRestraintEventInitiated))

    let opened = CrisisEpisodeOpenedPayload(
      entity_id: "e", chart_id: "c", crisis_type: "mobile", risk_level: "high", assigned_clinician_id: "a",
      supervisor_id: "s")
    let openedMembers = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: try JSONEncoder().encode(opened)) as? [String: Any])
    XCTAssertEqual(
      Set(openedMembers.keys), LedgerPayloadSanitizer.documentedPayloadFields(of: .clCrisisEpisodeOpened))
  }

  // MARK: - Configuration

  func testConfigurationDefaultsAndEscalationPath() throws {
    XCTAssertEqual(try GRIncidentsConfiguration.load(json: nil), .builtIn)
    XCTAssertEqual(
      GRIncidentsConfiguration.builtIn.recipients(organizationId: organization, supervisorId: nil),
      [.role("site_clinical_lead")])
    XCTAssertEqual(
      GRIncidentsConfiguration.builtIn.recipients(
        organizationId: organization, supervisorId: profile.uppercased()),
      [.profile(profile)])

    let json = """
      {"organizations": {"\(organization.uppercased())": {"escalation_profile_ids": ["\(profile)", "\(profile)"]}},
       "defaults": {"escalation_role": "clinical_supervisor"}}
      """
    let configuration = try GRIncidentsConfiguration.load(json: Array(json.utf8))
    XCTAssertEqual(
      configuration.recipients(organizationId: organization, supervisorId: nil),
      [.profile(profile), .role("clinical_supervisor")])
    XCTAssertEqual(
      configuration.recipients(organizationId: "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", supervisorId: nil),
      [.role("clinical_supervisor")])
  }

  func testConfigurationErrorsNameTheKey() {
    let cases: [(json: String, path: String)] = [
      (#"{"organization": {}}"#, "organization"),
      (#"{"organizations": {"site-a": {}}}"#, "organizations.site-a"),
      (
        #"{"organizations": {"\#(organization)": {"escalation_profile_ids": ["bob"]}}}"#,
        "organizations.\(organization).escalation_profile_ids"
      ),
      (#"{"defaults": {"escalation_role": " "}}"#, "defaults.escalation_role"),
      (#"{"defaults": {"escalation_roles": "x"}}"#, "defaults.escalation_roles"),
      (#"{"defaults": {"escalation_role": 3}}"#, "defaults.escalation_role"),
      ("[", ""),
    ]
    for (json, path) in cases {
      XCTAssertThrowsError(try GRIncidentsConfiguration.load(json: Array(json.utf8)), json) { error in
        guard let error = error as? GRIncidentsConfigurationError else { return XCTFail("\(error)") }
        XCTAssertEqual(error.path, path, json)
        XCTAssertTrue(error.description.hasPrefix("gr-incidents configuration: "), json)
      }
    }
  }
}
