import EventPublishing
import Foundation
import JetStream
import NATSWire
import XCTest

final class JSONLinesIntegrationTests: XCTestCase {
  func testGoodLinesArePublishedAndBadLinesReported() async throws {
    let good = (0..<4).map { _ in TestEvents.uuid() }
    let lines = [
      TestEvents.patientCreatedLine(id: good[0]),
      TestEvents.patientCreatedLine(id: good[1]),
      "{\"specversion\": \"1.0\", \"id\": ",
      TestEvents.invalidContractLine(),
      TestEvents.patientCreatedLine(id: good[2]),
      "",
      TestEvents.patientCreatedLine(id: good[1]),
      TestEvents.patientCreatedLine(id: good[3]),
    ]
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "events-\(UUID().uuidString).jsonl"
    ).path
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }

    try await PublishingServerFixture.run("jsonlines") { f in
      let publisher = EventPublisher(jetStream: f.jetStream, asyncWindow: 2)
      let report = try await JSONLinesPublisher(publisher: publisher).run(fileAt: path)
      await publisher.close()

      XCTAssertEqual(report.errors.map(\.line), [3, 4], "exactly the bad lines: \(report.errors)")
      XCTAssertTrue(report.errors[0].reason.contains("malformed JSON"), report.errors[0].reason)
      XCTAssertTrue(report.errors[1].reason.contains("patientId"), report.errors[1].reason)
      XCTAssertEqual(report.read, 7)
      XCTAssertEqual(report.blank, 1)
      XCTAssertEqual(report.invalid, 2)
      XCTAssertEqual(report.failed, 0)
      XCTAssertEqual(report.published, 4)
      XCTAssertEqual(report.duplicates, 1)
      XCTAssertEqual(report.duplicateLines.map(\.line), [7])
      XCTAssertEqual(report.duplicateLines.first?.eventID, good[1])

      let stored = try await f.storedMessages()
      XCTAssertEqual(
        stored.map { $0.headers?["ce-id"] }, good, "the good lines are in the stream, in file order")
      XCTAssertEqual(stored.map { $0.headers?[NATSHeaders.Name.msgId] }, good)
    }
  }
}
