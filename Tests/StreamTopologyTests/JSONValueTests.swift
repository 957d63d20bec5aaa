import Foundation
import StreamTopology
import XCTest

final class JSONValueTests: XCTestCase {
  func testParsesEveryKind() throws {
    let value = try JSONValue(
      parsing: #" { "a": null, "b": [true, false], "c": -12, "d": 1.5e2, "e": "x\"\u00e9\n", "f": {} } "#)
    XCTAssertEqual(
      value,
      ["a": nil, "b": [true, false], "c": .int(-12), "d": .number(150), "e": "x\"é\n", "f": [:]])
    XCTAssertEqual(value["c"]?.intValue, -12)
    XCTAssertEqual(value["d"]?.intValue, 150)
    XCTAssertEqual(value["e"]?.stringValue, "x\"é\n")
    XCTAssertEqual(value["b"]?.arrayValue?.count, 2)
    XCTAssertEqual(value["b"]?[1], false)
    XCTAssertNil(value["missing"])
    XCTAssertEqual(value["f"]?.objectValue, [:])
  }

  func testLargeNanosecondDurationsRoundTripExactly() throws {
    let text = #"{"max_age":220898160000000000,"big":9223372036854775807,"huge":92233720368547758070}"#
    let value = try JSONValue(parsing: text)
    XCTAssertEqual(value["max_age"], .int(220_898_160_000_000_000))
    XCTAssertEqual(value["big"], .int(Int64.max))
    XCTAssertEqual(value["huge"], .number(9.223372036854775807e19))
    XCTAssertEqual(try JSONValue(parsing: value.serialized()), value)
    XCTAssertTrue(value.serializedString().contains("\"max_age\":220898160000000000"))
  }

  func testSerializationIsSortedAndEscaped() {
    let value: JSONValue = ["b": 1, "a": ["x\u{1}\"\\", 0.25, nil]]
    XCTAssertEqual(value.serializedString(), #"{"a":["x\u0001\"\\",0.25,null],"b":1}"#)
    XCTAssertEqual(
      value.serializedString(prettyPrinted: true),
      "{\n  \"a\": [\n    \"x\\u0001\\\"\\\\\",\n    0.25,\n    null\n  ],\n  \"b\": 1\n}")
  }

  func testSurrogatePairs() throws {
    XCTAssertEqual(try JSONValue(parsing: #""\ud83d\ude00""#), "😀")
    XCTAssertThrowsError(try JSONValue(parsing: #""\ud83d""#))
    XCTAssertThrowsError(try JSONValue(parsing: #""\ude00""#))
  }

  func testMalformedInputThrowsWithOffset() {
    let cases = [
      "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "nul", "\"abc", "[1] 2", "{\"a\":1,}",
      "\"\u{1}\"",
      "1e", "[\"\\x\"]", "{1:2}",
    ]
    for text in cases {
      XCTAssertThrowsError(try JSONValue(parsing: text), text) { error in
        XCTAssertTrue(error is JSONParseError, text)
      }
    }
    XCTAssertThrowsError(try JSONValue(parsing: [0x22, 0xFF, 0x22])) { error in
      XCTAssertEqual((error as? JSONParseError)?.message, "string is not valid UTF-8")
    }
  }

  func testEveryPrefixOfARealFileEitherParsesOrThrows() throws {
    let path = TopologyFixture.streamsDirectory + "/streams/WQ_CARE_TRANSITIONS.json"
    var bytes = try XCTUnwrap(FileManager.default.contents(atPath: path)).map { $0 }
    while bytes.last == 0x0A || bytes.last == 0x20 { bytes.removeLast() }
    var parsedPrefixes = 0
    for cut in 0..<bytes.count {
      if (try? JSONValue(parsing: Array(bytes[..<cut]))) != nil { parsedPrefixes += 1 }
    }
    XCTAssertEqual(parsedPrefixes, 0, "no strict prefix of an object is a whole document")
    XCTAssertNoThrow(try JSONValue(parsing: bytes))
  }

  func testNestingLimitThrowsInsteadOfOverflowing() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    XCTAssertThrowsError(try JSONValue(parsing: deep))
    let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    XCTAssertNoThrow(try JSONValue(parsing: fine))
  }

  func testCodableRoundTrip() throws {
    let value: JSONValue = [
      "n": .int(120_000_000_000), "d": 1.5, "s": "x", "b": true, "z": nil, "a": [1, "2"],
    ]
    let data = try JSONEncoder().encode(value)
    XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: data), value)
    XCTAssertEqual(try JSONValue(parsing: [UInt8](data)), value)
  }

  func testSubscriptSetter() {
    var value: JSONValue = ["a": 1]
    value["b"] = "x"
    value["a"] = nil
    XCTAssertEqual(value, ["b": "x"])
    var empty: JSONValue = nil
    empty["k"] = 2
    XCTAssertEqual(empty, ["k": 2])
    var scalar: JSONValue = 5
    scalar["k"] = 2
    XCTAssertEqual(scalar, 5)
  }
}
