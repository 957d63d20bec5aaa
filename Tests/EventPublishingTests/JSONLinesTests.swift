import EventPublishing
import Foundation
import XCTest

final class JSONLinesTests: XCTestCase {
  func testValidationReportsEveryBadLineWithItsNumberAndReason() async throws {
    let lines = [
      TestEvents.patientCreatedLine(),
      "{not json",
      "",
      TestEvents.invalidContractLine(),
      #"{"specversion":"1.0","id":"x","source":"a/b"}"#,
      "   ",
      #"{"specversion":"1.0","id":"x","source":"a/b","type":"test.unknown"}"#,
      "[1,2]",
      TestEvents.patientCreatedLine(),
    ]
    let report = try await JSONLinesPublisher.validate(lines: lines)
    XCTAssertEqual(report.read, 7)
    XCTAssertEqual(report.blank, 2)
    XCTAssertEqual(report.invalid, 5)
    XCTAssertEqual(report.published, 0)
    XCTAssertEqual(report.errors.map(\.line), [2, 4, 5, 7, 8])
    XCTAssertTrue(report.errors[0].reason.contains("malformed JSON"), report.errors[0].reason)
    XCTAssertTrue(report.errors[1].reason.contains("patientId"), report.errors[1].reason)
    XCTAssertTrue(report.errors[2].reason.contains("type"), report.errors[2].reason)
    XCTAssertTrue(report.errors[3].reason.contains("subject"), report.errors[3].reason)
    XCTAssertTrue(report.errors[4].reason.contains("JSON object"), report.errors[4].reason)
    XCTAssertFalse(report.isClean)
  }

  func testAGivenSubjectMakesUnknownTypesPublishable() async throws {
    let line = #"{"specversion":"1.0","id":"x","source":"a/b","type":"test.unknown"}"#
    let report = try await JSONLinesPublisher.validate(lines: [line], subject: "test.unknown")
    XCTAssertEqual(report.invalid, 0)
    XCTAssertTrue(report.isClean)
  }

  func testFileLinesSplitOnNewlinesAcrossChunkBoundaries() async throws {
    let text = "first\r\nsecond\n\nthird line without newline"
    let path = try temporaryFile(text)
    for chunkSize in [1, 2, 3, 7, 64 * 1024] {
      var lines: [String] = []
      for try await line in try FileLineSequence(path: path, chunkSize: chunkSize) {
        lines.append(String(decoding: line, as: UTF8.self))
      }
      XCTAssertEqual(lines, ["first", "second", "", "third line without newline"], "chunk size \(chunkSize)")
    }
  }

  func testAFileEndingWithANewlineHasNoExtraLine() async throws {
    let path = try temporaryFile("a\nb\n")
    var count = 0
    for try await _ in try FileLineSequence(path: path, chunkSize: 1) { count += 1 }
    XCTAssertEqual(count, 2)
  }

  func testFileValidationNumbersLinesLikeAnEditor() async throws {
    let path = try temporaryFile(
      [TestEvents.patientCreatedLine(), "", "oops", TestEvents.patientCreatedLine()].joined(separator: "\n")
        + "\n")
    let report = try await JSONLinesPublisher.validate(
      byteLines: try FileLineSequence(path: path, chunkSize: 5))
    XCTAssertEqual(report.errors.map(\.line), [3])
    XCTAssertEqual(report.read, 3)
  }

  func testAMissingFileIsAnInputError() {
    XCTAssertThrowsError(try FileLineSequence(path: "/nonexistent/\(UUID().uuidString).jsonl")) { error in
      XCTAssertEqual((error as? EventPublishingError)?.code, .unreadableInput)
    }
  }

  private func temporaryFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "jsonl-\(UUID().uuidString).jsonl"
    ).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
  }
}
