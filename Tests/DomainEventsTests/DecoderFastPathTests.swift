import CloudEvents
import Foundation
import XCTest

@testable import DomainEvents

/// `DomainEventDecoder.decode` (fast path: one parse, validation and the typed body from the tree)
/// against the reference path (`JSONDecoder` twice), on the fixtures and on many variations of
/// them: the same accepted and rejected events, the same errors, bodies and dedupe keys.
final class DecoderFastPathTests: XCTestCase {
  /// Replacement values tried at every path of every fixture.
  private static let replacements: [String] = [
    "null", "true", "false", "0", "-0", "1", "-1", "7", "1.0", "1e2", "1.5", "-2.5", "1e-400", "1e400",
    "9223372036854775807", "9223372036854775808", "12345678901234567.0", "0.0", "-0.0", "\"\"", "\"x\"",
    "\"90837\"", "\"2026-04-16\"", "\"2026-04-16T17:45:12Z\"", "\"A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D\"",
    "\"caf\\u00e9 \\ud83d\\ude00\"", "[]", "[\"x\"]", "[1]", "{}", "{\"k\":[1,{\"z\":null}]}",
  ]

  /// The outcome of one decode, comparable across both paths, including the exact bytes of the
  /// re-encoded body (so `-0.0` and `0.0` differ).
  private struct Outcome: Equatable {
    var error: DomainEventError?
    var body: DomainEventBody?
    var dedupeKey: String?
    var reencoded: [UInt8]?
  }

  private func outcome(_ event: CloudEvent, fastPath: Bool, validated: Bool = false) -> Outcome {
    do {
      let decoded = try DomainEventDecoder.decode(event, fastPath: fastPath, validated: validated)
      let reencoded = try? DomainEventEncoder.cloudEvent(reencoding: decoded).data
      return Outcome(
        error: nil, body: decoded.body, dedupeKey: decoded.dedupeKey, reencoded: reencoded ?? nil)
    } catch {
      return Outcome(error: error, body: nil, dedupeKey: nil, reencoded: nil)
    }
  }

  @discardableResult
  private func assertSameOutcome(
    _ event: CloudEvent, _ label: @autoclosure () -> String, file: StaticString = #filePath,
    line: UInt = #line
  ) -> Outcome {
    let fast = outcome(event, fastPath: true)
    let reference = outcome(event, fastPath: false)
    XCTAssertEqual(fast, reference, label(), file: file, line: line)
    // `decode(validated:)`, as a consumer calls it after the NATS binding validated the
    // attributes: the same outcome for an event whose attributes are valid.
    if event.validationErrors().isEmpty {
      XCTAssertEqual(
        outcome(event, fastPath: true, validated: true), reference, label(), file: file, line: line)
    }
    return reference
  }

  /// The path of every member and array item of a JSON value, in the test support's syntax.
  private func paths(in value: EventJSONValue, prefix: String = "") -> [String] {
    switch value {
    case .object(let members):
      return members.keys.sorted().flatMap { key -> [String] in
        let path = prefix.isEmpty ? key : "\(prefix).\(key)"
        return [path] + paths(in: members[key] ?? .null, prefix: path)
      }
    case .array(let items):
      return items.indices.flatMap { index -> [String] in
        let path = "\(prefix)[\(index)]"
        return [path] + paths(in: items[index], prefix: path)
      }
    default:
      return []
    }
  }

  /// The fixture's data as text with the value at `path` replaced by the raw JSON `literal`.
  private func event(_ kind: DomainEventKind, replacing path: String, with literal: String) throws
    -> CloudEvent
  {
    var event = try Fixtures.cloudEvent(kind)
    let marker = "@@REPLACE@@"
    let data = try Fixtures.data(kind).setting(path, to: .string(marker))
    let text = String(decoding: try Fixtures.encode(data), as: UTF8.self)
    let replaced = text.replacingOccurrences(of: "\"\(marker)\"", with: literal)
    XCTAssertNotEqual(replaced, text, "\(kind) \(path)")
    event.data = Array(replaced.utf8)
    return event
  }

  func testEveryFixtureDecodesTheSameOnBothPaths() throws {
    for kind in DomainEventKind.allCases {
      let outcome = assertSameOutcome(try Fixtures.cloudEvent(kind), "\(kind)")
      XCTAssertNil(outcome.error, "\(kind)")
    }
  }

  func testEveryFieldReplacedByEveryKindOfValueDecodesTheSameOnBothPaths() throws {
    var accepted = 0
    var rejected = 0
    for kind in DomainEventKind.allCases {
      let data = try Fixtures.data(kind)
      for path in paths(in: data) {
        for literal in Self.replacements {
          let event = try event(kind, replacing: path, with: literal)
          let result = assertSameOutcome(event, "\(kind) \(path) = \(literal)")
          if result.error == nil { accepted += 1 } else { rejected += 1 }
        }
        let removed = try Fixtures.cloudEvent(kind) { $0.removing(path) }
        assertSameOutcome(removed, "\(kind) without \(path)")
      }
    }
    XCTAssertGreaterThan(accepted, 500)
    XCTAssertGreaterThan(rejected, 2000)
  }

  func testCustomFieldsKeepEveryJSONValueTheSameOnBothPaths() throws {
    var generator = SplitMix64(seed: 7)
    for index in 0..<300 {
      let number = generator.numberLiteral()
      let literal = #"{"n":\#(number),"s":"\u00e9\n","a":[\#(number),null,true,{"o":{}}],"e":{}}"#
      let event = try event(.ceLeadConverted, replacing: "payload.custom_fields", with: literal)
      assertSameOutcome(event, "custom_fields #\(index) \(number)")
    }
  }

  func testNumberFieldsDecodeTheSameOnBothPaths() throws {
    var generator = SplitMix64(seed: 3)
    let data = try Fixtures.data(.faProgramCostAllocated)
    let numberPaths = paths(in: data).filter {
      switch data.value(at: $0) {
      case .integer?, .number?: return true
      default: return false
      }
    }
    XCTAssertFalse(numberPaths.isEmpty)
    for path in numberPaths {
      for _ in 0..<150 {
        let literal = generator.numberLiteral()
        assertSameOutcome(
          try event(.faProgramCostAllocated, replacing: path, with: literal), "\(path) = \(literal)")
      }
    }
    let minutes = "payload.duration_minutes"
    for _ in 0..<300 {
      let literal = generator.numberLiteral()
      assertSameOutcome(
        try event(.progressNoteSigned, replacing: minutes, with: literal), "\(minutes) = \(literal)")
    }
  }

  func testNegativeZeroInADoubleFieldKeepsItsSign() throws {
    let path = "payload.cost_per_patient_day"
    let event = try event(.faProgramCostAllocated, replacing: path, with: "-0")
    let outcome = assertSameOutcome(event, "-0")
    guard case .faProgramCostAllocated(let allocation)? = outcome.body else { return XCTFail("\(outcome)") }
    XCTAssertEqual(allocation.payload.cost_per_patient_day?.sign, .minus)
  }

  func testDuplicateMembersKeepTheFirstOnBothPaths() throws {
    var event = try Fixtures.cloudEvent(.encounterRegistered)
    let text = String(decoding: try XCTUnwrap(event.data), as: UTF8.self)
    event.data = Array(
      text.replacingOccurrences(of: #""status": "planned""#, with: #""status": "planned", "status": 5"#).utf8)
    XCTAssertNotEqual(event.data, try Fixtures.cloudEvent(.encounterRegistered).data)
    let outcome = assertSameOutcome(event, "duplicate status")
    guard case .encounterRegistered(let data)? = outcome.body else { return XCTFail("\(outcome)") }
    XCTAssertEqual(data.status, "planned")
  }

  func testRandomByteMutationsDecodeTheSameOnBothPaths() throws {
    var generator = SplitMix64(seed: 99)
    for kind in DomainEventKind.allCases {
      let original = try Fixtures.cloudEvent(kind)
      let data = try XCTUnwrap(original.data)
      for _ in 0..<60 {
        var event = original
        event.data = generator.mutate(data)
        assertSameOutcome(event, "\(kind) mutated")
      }
    }
  }

  func testRepeatedIdentifiersCompareUUIDsIgnoringCaseAndOtherTextExactly() throws {
    let original = try Fixtures.cloudEvent(.progressNoteSigned)
    var event = original
    event.id = original.id.uppercased()
    XCTAssertEqual(try DomainEventDecoder.decode(event).eventId, original.id.uppercased())
    event.id = "E0000001-0000-4000-8000-000000000002"
    XCTAssertEqual(decodingError(event)?.field, "id")

    XCTAssertTrue(
      ContractValidator.sameIdentifier(
        "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D", "a1b2c3d4-e5f6-4a7b-8c9d-0E1F2A3B4C5D"))
    XCTAssertFalse(
      ContractValidator.sameIdentifier(
        "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5e"))
    XCTAssertTrue(ContractValidator.sameIdentifier("org-1", "org-1"))
    XCTAssertFalse(ContractValidator.sameIdentifier("ORG-1", "org-1"), "only UUIDs ignore case")
    XCTAssertTrue(ContractValidator.sameIdentifier("caf\u{E9}", "cafe\u{301}"), "String equality otherwise")
  }

  func testJSONMediaTypeCheckMatchesTheFoundationReading() {
    func reference(_ contentType: String) -> Bool {
      let essence =
        contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
        .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
      return essence == "application/json" || (essence.contains("/") && essence.hasSuffix("+json"))
    }
    let samples = [
      "application/json", "APPLICATION/JSON", " application/json\t; charset=utf-8", "application/json;",
      "application/cloudevents+json", "text/x+JSON ;a=b", "+json", "x+json", "/+json", "application/jsonx",
      "application/json ;", "", " ", "\t;", ";application/json", "application/ json", "text/plain",
      "application/json\u{A0}", "\u{2003}application/json", "application/json;\u{301}x", "ÄPPLICATION/JSON",
      "application/ld+json; profile=\"x\"", "application/json\r\n", "\napplication/json",
    ]
    for sample in samples {
      XCTAssertEqual(DomainEventDecoder.isJSONMediaType(sample), reference(sample), sample.debugDescription)
    }
  }
}
