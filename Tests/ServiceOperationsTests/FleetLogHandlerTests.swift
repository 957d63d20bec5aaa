import Foundation
import Logging
import Synchronization
import XCTest

@testable import ServiceOperations

final class FleetLogHandlerTests: XCTestCase {
  /// Collects the lines a handler writes.
  final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])
    var output: LogOutput { LogOutput { line in self.storage.withLock { $0.append(line) } } }
    var lines: [String] { storage.withLock { $0 } }
  }

  struct SampleError: Error, CustomStringConvertible {
    var description: String { "ledger locked" }
  }

  private func parse(_ line: String, file: StaticString = #filePath, line number: UInt = #line) throws
    -> [String: Any]
  {
    XCTAssertTrue(line.hasSuffix("\n"), file: file, line: number)
    XCTAssertEqual(line.filter { $0 == "\n" }.count, 1, "one record per line", file: file, line: number)
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try XCTUnwrap(object as? [String: Any], file: file, line: number)
  }

  func testJSONLinesParseAndCarryMetadata() throws {
    let collector = LineCollector()
    let factory = FleetLogHandler.makeFactory(
      format: .json, level: .info, service: "charge-capture", stream: collector.output)
    var logger = Logger(label: "consumer.runtime") { factory($0) }
    logger[metadataKey: "consumer"] = "CHARGE_CAPTURE"
    logger.debug("filtered out")
    logger.warning(
      "Duplicate event \"e-1\" — skipping\nsecond line",
      metadata: [
        "event_id": "e-1", "stream_seq": "\(42)",
        "attempt": .stringConvertible(3),
        "ids": ["a", "b"],
        "nats": ["stream": "WQ_CHARGE_CAPTURE", "consumer": ["name": "cc"]],
        "msg": "collides with the message field",
      ])

    let lines = collector.lines
    XCTAssertEqual(lines.count, 1)
    let record = try parse(try XCTUnwrap(lines.first))
    XCTAssertEqual(record["level"] as? String, "warning")
    XCTAssertEqual(record["msg"] as? String, "Duplicate event \"e-1\" — skipping\nsecond line")
    XCTAssertEqual(record["logger"] as? String, "consumer.runtime")
    XCTAssertEqual(record["service"] as? String, "charge-capture")
    XCTAssertEqual(record["consumer"] as? String, "CHARGE_CAPTURE")
    XCTAssertEqual(record["event_id"] as? String, "e-1")
    XCTAssertEqual(record["stream_seq"] as? String, "42")
    XCTAssertEqual(record["attempt"] as? String, "3")
    XCTAssertEqual(record["ids"] as? [String], ["a", "b"])
    XCTAssertEqual(record["nats.stream"] as? String, "WQ_CHARGE_CAPTURE")
    XCTAssertEqual(record["nats.consumer.name"] as? String, "cc")
    XCTAssertEqual(record["meta.msg"] as? String, "collides with the message field")
    XCTAssertNotNil(record["source"] as? String)
    let timestamp = try XCTUnwrap(record["ts"] as? String)
    XCTAssertNotNil(
      timestamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression),
      timestamp)
    XCTAssertTrue(lines[0].hasPrefix("{\"ts\":"), "record fields come first")
  }

  func testMetadataMergeOrderAndError() throws {
    let collector = LineCollector()
    var handler = FleetLogHandler(label: "merge", format: .json, level: .trace, stream: collector.output)
    handler.metadata = ["who": "handler", "handler_only": "1"]
    handler.metadataProvider = Logger.MetadataProvider { ["who": "provider", "trace_id": "t-9"] }
    handler.log(
      event: LogEvent(
        level: .error, message: "ack failed", error: SampleError(), metadata: ["who": "call"],
        source: "Tests", file: #fileID, function: #function, line: #line))
    let record = try parse(try XCTUnwrap(collector.lines.first))
    XCTAssertEqual(record["who"] as? String, "call")
    XCTAssertEqual(record["handler_only"] as? String, "1")
    XCTAssertEqual(record["trace_id"] as? String, "t-9")
    XCTAssertEqual(record["error"] as? String, "ledger locked")
    XCTAssertEqual(record["source"] as? String, "Tests")
    XCTAssertEqual(record["level"] as? String, "error")
  }

  func testTextFormatIsReadable() throws {
    let collector = LineCollector()
    let factory = FleetLogHandler.makeFactory(
      format: .text, level: .info, service: "gr-incidents", stream: collector.output)
    let logger = Logger(label: "gr") { factory($0) }
    logger.info("handled\nevent", metadata: ["event_id": "e-7", "note": "two words", "empty": ""])
    let line = try XCTUnwrap(collector.lines.first)
    XCTAssertTrue(line.hasSuffix("\n"))
    XCTAssertEqual(line.filter { $0 == "\n" }.count, 1)
    XCTAssertNotNil(
      line.range(
        of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info \[gr\] handled\\nevent "#,
        options: .regularExpression), line)
    XCTAssertTrue(line.contains(" event_id=e-7"), line)
    XCTAssertTrue(line.contains(" note=\"two words\""), line)
    XCTAssertTrue(line.contains(" empty=\"\""), line)
    XCTAssertTrue(line.contains(" service=gr-incidents"), line)
  }

  func testLevelIsAValuePerHandler() {
    let collector = LineCollector()
    var first = Logger(label: "a") {
      FleetLogHandler(label: $0, format: .json, level: .info, stream: collector.output)
    }
    let second = first
    first.logLevel = .critical
    XCTAssertEqual(second.logLevel, .info)
    first.error("dropped")
    second.error("kept")
    XCTAssertEqual(collector.lines.count, 1)
    XCTAssertTrue(collector.lines.first?.contains("\"msg\":\"kept\"") ?? false)
  }

  func testJSONEscapingOfControlCharacters() throws {
    let quoted = JSONText.quoted("tab\there \u{01} \"q\" \\ \u{2028}")
    XCTAssertEqual(quoted, #""tab\there \u0001 \"q\" \\ \u2028""#)
    let decoded = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: [.fragmentsAllowed])
    XCTAssertEqual(decoded as? String, "tab\there \u{01} \"q\" \\ \u{2028}")
  }
}
