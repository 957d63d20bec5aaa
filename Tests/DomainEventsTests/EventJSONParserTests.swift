import Foundation
import XCTest

@testable import DomainEvents

/// The fast parser against the reference (`JSONDecoder` into `EventJSONValue`): whatever it
/// accepts must decode to the identical value; what it declines (`nil`) goes to the reference.
final class EventJSONParserTests: XCTestCase {
  /// The reference reading of `text`: the value, or `nil` when `JSONDecoder` rejects it.
  private func reference(_ bytes: [UInt8]) -> EventJSONValue? {
    try? JSONDecoder().decode(EventJSONValue.self, from: Data(bytes))
  }

  private func assertAgreesWithReference(
    _ bytes: [UInt8], _ label: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    guard let fast = EventJSONParser.parse(bytes) else { return }
    let expected = reference(bytes)
    XCTAssertNotNil(
      expected, "fast path accepted what the reference rejects: \(label)", file: file, line: line)
    XCTAssertEqual(fast, expected, label, file: file, line: line)
    if let expected {
      XCTAssertTrue(identical(fast, expected), "number bits differ: \(label)", file: file, line: line)
    }
  }

  /// Equality that also tells `0.0` from `-0.0` and compares doubles bit for bit.
  private func identical(_ left: EventJSONValue, _ right: EventJSONValue) -> Bool {
    switch (left, right) {
    case (.number(let a), .number(let b)): return a.bitPattern == b.bitPattern
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy(identical)
    case (.object(let a), .object(let b)):
      return a.count == b.count && a.allSatisfy { key, value in b[key].map { identical(value, $0) } ?? false }
    default: return left == right
    }
  }

  private func parse(_ text: String) -> EventJSONValue? { EventJSONParser.parse(Array(text.utf8)) }

  // MARK: pinned behaviour

  func testPlainDocumentsParseToTheReferenceValue() throws {
    let text = #"""
       {"a": [1, -2, 3.5, true, false, null, "x"], "b": {"c": {}}, "d": [], "e": "caf\u00e9 \"q\" \/ \\ \b\f\n\r\t"}
      """#
    let value = try XCTUnwrap(parse(text))
    XCTAssertEqual(value, reference(Array(text.utf8)))
    XCTAssertEqual(
      value.value(at: "a"),
      .array([.integer(1), .integer(-2), .number(3.5), .bool(true), .bool(false), .null, .string("x")]))
    XCTAssertEqual(value.value(at: "e"), .string("café \"q\" / \\ \u{8}\u{C}\n\r\t"))
  }

  func testNumbersFollowTheReferenceIntegerOrDoubleReading() {
    // Integral values below 2^53 are integers however they are written; others are doubles.
    XCTAssertEqual(parse("1.0"), .integer(1))
    XCTAssertEqual(parse("1e2"), .integer(100))
    XCTAssertEqual(parse("2.5E1"), .integer(25))
    XCTAssertEqual(parse("100e-2"), .integer(1))
    XCTAssertEqual(parse("1.0000000000000000001"), .integer(1), "rounds to 1.0 first, as the reference")
    XCTAssertEqual(parse("9223372036854775807"), .integer(Int64.max))
    XCTAssertEqual(parse("-9223372036854775808"), .integer(Int64.min))
    XCTAssertEqual(parse("1.5"), .number(1.5))
    XCTAssertEqual(parse("1e-2"), .number(0.01))
    XCTAssertEqual(parse("9223372036854775808"), .number(9_223_372_036_854_775_808))
    XCTAssertEqual(parse("123456789012345678901234567890"), .number(1.2345678901234568e29))
    XCTAssertEqual(parse("1e19"), .number(1e19))
    XCTAssertEqual(parse("1.5e300"), .number(1.5e300))
  }

  func testSubtleNumbersAreLeftToTheReference() {
    // Each is declined; the reference then decides (values noted as it reads them).
    let declined = [
      "-0",  // integer 0, but the Double -0.0 for a Double field
      "-0.0", "0.0e5", "1e-400", "2.4e-324",  // zeros: integer 0, the Double path differs
      "1e18", "12345678901234567.0", "9007199254740993.0",  // ≥ 2^53 with fraction/exponent: Decimal path
      "-9223372036854775809", "-9223372036854775807e0",  // rounds to -2^63: Decimal path
      "1e400", "-1e400",  // overflow: the reference rejects the document
    ]
    for text in declined {
      XCTAssertNil(parse(text), text)
    }
    XCTAssertEqual(reference(Array("-0".utf8)), .integer(0))
    XCTAssertEqual(reference(Array("1e18".utf8)), .integer(1_000_000_000_000_000_000))
    XCTAssertEqual(reference(Array("12345678901234567.0".utf8)), .integer(12_345_678_901_234_567))
    XCTAssertEqual(reference(Array("-9223372036854775807e0".utf8)), .integer(-9_223_372_036_854_775_807))
    XCTAssertNil(reference(Array("1e400".utf8)))
  }

  func testStringsEscapesAndUnicode() {
    XCTAssertEqual(parse(#""\u0041\u00e9\u20ac\ud83d\ude00""#), .string("Aé€😀"))
    XCTAssertEqual(parse(#""a\u0000b""#), .string("a\u{0}b"))
    XCTAssertEqual(parse("\"é€😀\""), .string("é€😀"))
    XCTAssertEqual(parse("\"\u{7F}\""), .string("\u{7F}"))
    // Unpaired surrogates, bad escapes, raw control characters, invalid UTF-8: declined.
    for text in [
      #""\ud800""#, #""\udc00""#, #""\ud83d x""#, #""\ud83d\u0041""#, #""\x""#, #""\u00""#, "\"a\tb\"",
    ] {
      XCTAssertNil(parse(text), text)
    }
    for bytes: [UInt8] in [
      [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0x61, 0x00, 0x22],
    ] {
      XCTAssertNil(EventJSONParser.parse(bytes))
      XCTAssertNil(reference(bytes), "the reference rejects these too")
    }
  }

  func testWhatTheReferenceToleratesIsDeclined() throws {
    // The reference accepts all of these; the parser leaves them to it.
    let tolerated: [[UInt8]] = [
      Array("[1,]".utf8), Array(#"{"a":1,}"#.utf8),  // trailing commas
      Array(#"{"a":1,"a":2}"#.utf8),  // duplicate names: the reference keeps the first
      [0xEF, 0xBB, 0xBF] + Array("1".utf8),  // byte order mark
      [0x31, 0x00],  // trailing NUL
      Array("[1]".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),  // UTF-16
    ]
    for bytes in tolerated {
      XCTAssertNil(EventJSONParser.parse(bytes), "\(bytes)")
      XCTAssertNotNil(reference(bytes), "\(bytes)")
    }
    XCTAssertEqual(reference(Array(#"{"a":1,"a":2}"#.utf8)), .object(["a": .integer(1)]))
  }

  func testNestingBeyondTheLimitIsDeclinedNotTrapped() {
    let limit = EventJSONParser.maximumDepth
    let inside = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    XCTAssertNotNil(parse(inside))
    let beyond = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
    XCTAssertNil(parse(beyond))
    XCTAssertNotNil(reference(Array(beyond.utf8)), "the reference allows 512 levels")
    let hostile = String(repeating: #"{"a":["#, count: 100_000)
    XCTAssertNil(parse(hostile))
  }

  func testMalformedInputIsDeclined() {
    let malformed = [
      "", " ", "{", "}", "[", "]", "[1", "[1 2]", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\" 1}", "01", "-",
      "1.", ".5", "+1", "1e", "1e+", "-01", "00", "tru", "nul", "truex", "NaN", "Infinity", "[1] x", "\u{B}1",
      "// c\n1", "\"abc", "[\"a\",]",
    ]
    for text in malformed {
      XCTAssertNil(parse(text), text.debugDescription)
    }
  }

  // MARK: differential

  func testEveryCorpusEntryAgreesWithTheReference() {
    var corpus = [
      "0", "1", "-1", "1.0", "-1.5", "1e0", "1E+2", "1e-2", "0.5e1", "5e-1", "4.9e-324",
      "1.7976931348623157e308",
      "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993", "9007199254740991.0",
      "9007199254740992.5", "4503599627370495.5", "9223372036854775806", "9223372036854775807.0",
      "-9223372036854775808.0", "18446744073709551615", "18446744073709551616", "1e15", "1e16", "1.23e17",
      "true", "false", "null", "\"\"", "[]", "{}", "{\"\":1}", "[[[]]]", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
      "\"\\u00e9\"", "\"e\\u0301\"", "{\"\\u00e9\":1,\"e\\u0301\":2}", "{\"é\":1}", " \t\n\r[1 , 2]\r\n",
    ]
    var generator = SplitMix64(seed: 17)
    for _ in 0..<3000 {
      corpus.append(generator.numberLiteral())
    }
    for text in corpus {
      assertAgreesWithReference(Array(text.utf8), text)
    }
  }

  func testRandomMutationsOfTheFixturesAgreeWithTheReference() throws {
    var generator = SplitMix64(seed: 42)
    var accepted = 0
    for kind in DomainEventKind.allCases {
      let data = try XCTUnwrap(try Fixtures.cloudEvent(kind).data)
      assertAgreesWithReference(data, "\(kind)")
      for _ in 0..<80 {
        let mutated = generator.mutate(data)
        if EventJSONParser.parse(mutated) != nil { accepted += 1 }
        assertAgreesWithReference(mutated, "\(kind) mutated")
      }
    }
    XCTAssertGreaterThan(accepted, 100, "the mutations must also exercise accepted documents")
  }
}

/// A small deterministic generator (SplitMix64) for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A random JSON number literal, biased towards the edges: zeros, 2^53, 2^63, long digit runs,
  /// fractions and exponents.
  mutating func numberLiteral() -> String {
    let anchors = [
      "0", "1", "9007199254740992", "9007199254740993", "9223372036854775807", "9223372036854775808",
      "4503599627370496", "123456789012345678", "99999999999999999999", "5", "10",
    ]
    var text = Bool.random(using: &self) ? "-" : ""
    if Int.random(in: 0..<3, using: &self) == 0 {
      text += anchors.randomElement(using: &self) ?? "1"
    } else {
      let first = Int.random(in: 1...9, using: &self)
      let digits = (0..<Int.random(in: 0...20, using: &self)).map { _ in
        String(Int.random(in: 0...9, using: &self))
      }
      text += String(first) + digits.joined()
    }
    if Int.random(in: 0..<3, using: &self) == 0 {
      let fraction = (0..<Int.random(in: 1...6, using: &self)).map { _ in
        Bool.random(using: &self) ? "0" : String(Int.random(in: 0...9, using: &self))
      }
      text += "." + fraction.joined()
    }
    if Int.random(in: 0..<3, using: &self) == 0 {
      text += ["e", "E", "e+", "e-"].randomElement(using: &self) ?? "e"
      text += String(Int.random(in: 0...25, using: &self))
    }
    return text
  }

  /// `bytes` with one to three random edits: a byte replaced, inserted or removed, or a run copied.
  mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
    var result = bytes
    let interesting: [UInt8] =
      Array(#"{}[],:"\-0123456789.eE+ tfnul"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xA9, 0xFF]
    for _ in 0..<Int.random(in: 1...3, using: &self) where !result.isEmpty {
      let position = Int.random(in: 0..<result.count, using: &self)
      switch Int.random(in: 0..<4, using: &self) {
      case 0: result[position] = interesting.randomElement(using: &self) ?? 0x20
      case 1: result.insert(interesting.randomElement(using: &self) ?? 0x20, at: position)
      case 2: result.remove(at: position)
      default:
        let length = Int.random(in: 1...8, using: &self)
        let end = min(result.count, position + length)
        result.insert(contentsOf: result[position..<end], at: Int.random(in: 0..<result.count, using: &self))
      }
    }
    return result
  }
}
