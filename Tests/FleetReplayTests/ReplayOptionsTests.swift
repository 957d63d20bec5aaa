import CloudEvents
import FleetReplay
import Foundation
import XCTest

/// Options, positions and targets: parsing and validation without a server.
final class ReplayOptionsTests: XCTestCase {
  func testPositionsParseSequencesAndRFC3339Times() throws {
    XCTAssertEqual(try ReplayPosition.parse("42"), .sequence(42))
    guard case .time(let date) = try ReplayPosition.parse("2026-11-21T10:00:00Z") else {
      return XCTFail("expected a time")
    }
    XCTAssertEqual(date.timeIntervalSince1970, 1_795_255_200, accuracy: 0.001)
    guard case .time(let offset) = try ReplayPosition.parse("2026-11-21T11:00:00.5+01:00") else {
      return XCTFail("expected a time")
    }
    XCTAssertEqual(offset.timeIntervalSince1970, 1_795_255_200.5, accuracy: 0.001)
    for bad in ["0", "", "yesterday", "2026-13-01T00:00:00Z", "99999999999999999999999"] {
      XCTAssertThrowsError(try ReplayPosition.parse(bad), bad) { error in
        XCTAssertEqual((error as? ReplayError)?.code, .invalidOptions, bad)
      }
    }
  }

  func testReplaySubjectsNeverNestTheReplayPrefix() {
    XCTAssertEqual(
      ReplayTarget.replaySubject(
        service: "charge-capture", originalSubject: "cl_pm_events.progress_note_signed"),
      "replay.charge-capture.cl_pm_events.progress_note_signed")
    XCTAssertEqual(
      ReplayTarget.replaySubject(
        service: "charge-capture", originalSubject: "replay.charge-capture.REGISTRATION.encounter.registered"),
      "replay.charge-capture.REGISTRATION.encounter.registered")
    XCTAssertEqual(ReplayTarget.strippingReplayPrefix("replay.x"), "replay.x", "too short to carry a prefix")
    XCTAssertEqual(ReplayTarget.strippingReplayPrefix("cl_events.a"), "cl_events.a")
    XCTAssertTrue(ReplayTarget.isValidServiceName("gr-incidents"))
    XCTAssertFalse(ReplayTarget.isValidServiceName("a.b"))
    XCTAssertFalse(ReplayTarget.isValidServiceName("a*"))
    XCTAssertFalse(ReplayTarget.isValidServiceName(""))
  }

  func testValidationRefusesContradictoryOrInvalidOptions() {
    let stream = ReplaySource.stream(ReplayStreamRange(stream: "CL_EVENTS"))
    func refused(_ change: (inout ReplayOptions) -> Void, _ why: String, line: UInt = #line) {
      var options = ReplayOptions(source: stream)
      change(&options)
      XCTAssertThrowsError(try options.validate(), why, line: line) { error in
        XCTAssertEqual((error as? ReplayError)?.code, .invalidOptions, why, line: line)
      }
    }
    XCTAssertNoThrow(try ReplayOptions(source: stream).validate())
    refused({ $0.source = .stream(ReplayStreamRange(stream: "A.B")) }, "stream name with a dot")
    refused(
      { $0.source = .stream(ReplayStreamRange(stream: "S", start: .sequence(10), end: .sequence(5))) },
      "end before start")
    refused({ $0.target = .subject("a.*") }, "wildcard target")
    refused({ $0.target = .service("a.b") }, "service with a dot")
    refused({ $0.subjectFilters = ["a..b"] }, "bad filter")
    refused({ $0.rate = 0 }, "zero rate")
    refused({ $0.resume = true }, "resume without checkpoint")
    refused({ $0.maxMessages = 0 }, "zero max")
    refused({ $0.runID = "has:colon" }, "run id that would break the msg id")
    refused({ $0.window = 0 }, "zero window")
    refused({ $0.publishAttempts = 0 }, "no attempt")
    refused({ $0.source = .deadLetters(ReplayDeadLetterSelection(service: "x y")) }, "service with a space")
    refused({ $0.source = .jsonLines(path: "") }, "no file")
  }

  func testRunIDsAreUsableInMessageIDs() {
    let id = ReplayRunner.makeRunID(now: Date(timeIntervalSince1970: 1_795_255_200))
    XCTAssertTrue(id.hasPrefix("20261121T100000-"), id)
    XCTAssertEqual(id.count, 24)
    var options = ReplayOptions(source: .jsonLines(path: "x"))
    options.runID = id
    XCTAssertNoThrow(try options.validate())
    XCTAssertNotEqual(ReplayRunner.makeRunID(), ReplayRunner.makeRunID())
  }
}
