import StreamTopology
import XCTest

final class SubjectMatchTests: XCTestCase {
  func testMatches() {
    XCTAssertTrue(SubjectMatch.matches(subject: "a.b.c", filter: "a.b.c"))
    XCTAssertTrue(SubjectMatch.matches(subject: "a.b.c", filter: "a.*.c"))
    XCTAssertTrue(SubjectMatch.matches(subject: "a.b.c", filter: "a.>"))
    XCTAssertTrue(SubjectMatch.matches(subject: "a.b.c", filter: ">"))
    XCTAssertTrue(
      SubjectMatch.matches(
        subject: "REGISTRATION.encounter.status-changed", filter: "REGISTRATION.encounter.>"))
    XCTAssertFalse(SubjectMatch.matches(subject: "a", filter: "a.>"), "'>' needs at least one token")
    XCTAssertFalse(SubjectMatch.matches(subject: "a.b", filter: "a.b.c"))
    XCTAssertFalse(SubjectMatch.matches(subject: "a.b.c", filter: "a.b"))
    XCTAssertFalse(SubjectMatch.matches(subject: "a.b.c", filter: "a.*"))
    XCTAssertFalse(SubjectMatch.matches(subject: "A.b", filter: "a.b"), "case-sensitive")
    XCTAssertFalse(SubjectMatch.matches(subject: "a.x", filter: "a.b"))
  }

  func testMalformedInputMatchesNothing() {
    for bad in ["", ".", "a..b", "a.", ".a", "a.>.b", "a b", "a.b*"] {
      XCTAssertFalse(SubjectMatch.matches(subject: "a.b", filter: bad), bad)
      XCTAssertFalse(SubjectMatch.overlaps(bad, ">"), bad)
      XCTAssertFalse(SubjectMatch.isValidFilter(bad), bad)
    }
    XCTAssertFalse(SubjectMatch.matches(subject: "a.*", filter: "a.*"), "a subject is literal")
    XCTAssertFalse(SubjectMatch.isValidSubject("a.>"))
    XCTAssertTrue(SubjectMatch.isValidSubject("cl_events.cl_crisis_episode_opened"))
  }

  func testOverlaps() {
    XCTAssertTrue(SubjectMatch.overlaps(">", ">"))
    XCTAssertTrue(SubjectMatch.overlaps("a.b", "a.b"))
    XCTAssertTrue(SubjectMatch.overlaps("a.*", "a.b"))
    XCTAssertTrue(SubjectMatch.overlaps("a.*.c", "a.b.*"))
    XCTAssertTrue(SubjectMatch.overlaps("a.>", "*.b.c"))
    XCTAssertTrue(SubjectMatch.overlaps("a.b", ">"))
    XCTAssertFalse(SubjectMatch.overlaps("a.b", "a.c"))
    XCTAssertFalse(SubjectMatch.overlaps("a.*", "a.b.c"))
    XCTAssertFalse(SubjectMatch.overlaps("a.>", "a"))
    XCTAssertFalse(SubjectMatch.overlaps("REGISTRATION.patient.merged", "REGISTRATION.patient.unmerged"))
  }

  func testIsSubset() {
    XCTAssertTrue(SubjectMatch.isSubset("a.b", of: "a.b"))
    XCTAssertTrue(SubjectMatch.isSubset("a.b", of: "a.*"))
    XCTAssertTrue(SubjectMatch.isSubset("a.*", of: "a.>"))
    XCTAssertTrue(SubjectMatch.isSubset("a.b.>", of: "a.>"))
    XCTAssertTrue(SubjectMatch.isSubset("a.>", of: ">"))
    XCTAssertFalse(SubjectMatch.isSubset("a.>", of: "a.*"))
    XCTAssertFalse(SubjectMatch.isSubset("a.*", of: "a.b"))
    XCTAssertFalse(SubjectMatch.isSubset("a", of: "a.>"))
    XCTAssertFalse(SubjectMatch.isSubset("b.c", of: "a.>"))
  }
}
