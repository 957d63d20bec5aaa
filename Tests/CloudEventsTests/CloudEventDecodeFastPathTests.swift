import XCTest

@testable import CloudEvents

/// The shortcuts on the binary-mode decode path give what the general code gives.
final class CloudEventDecodeFastPathTests: XCTestCase {
  func testHeaderNamesLowercaseAsStringLowercasedDoes() {
    let names = [
      "ce-id", "CE-ID", "Ce-SpecVersion", "content-type", "Content-Type", "ce-ÜBER", "ce-über", "CE-İD", "",
      "ce-ǅ", "X-\u{212A}elvin", "ce-a1-_.~",
    ]
    for name in names {
      XCTAssertEqual(CloudEventNATSBinding.lowercasedName(name), name.lowercased(), name)
    }
    XCTAssertTrue(CloudEventNATSBinding.isBinary(headers: [("CE-SPECVERSION", "1.0")]))
    XCTAssertFalse(CloudEventNATSBinding.isBinary(headers: [("ce-spec-version", "1.0")]))
  }

  func testTrimmingMatchesTheScalarByScalarReading() {
    func reference(_ text: String) -> String {
      var scalars = Substring(text).unicodeScalars
      while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
      while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
      return String(scalars)
    }
    let samples = [
      "", " ", "\t", "a", " a", "a ", "\ta\t", " \t a b \t ", "é", " é ", "\u{A0}a\u{A0}", "\na\n",
      "a\u{301} ",
      "e\u{301}",
    ]
    for sample in samples {
      XCTAssertEqual(sample.trimmingASCIIWhitespace(), reference(sample), sample.debugDescription)
      XCTAssertEqual(Substring(sample).trimmingASCIIWhitespace(), reference(sample), sample.debugDescription)
    }
  }

  func testPercentDecodingWithAndWithoutEscapes() {
    XCTAssertEqual(CloudEventPercentEncoding.decode("plain value"), "plain value")
    XCTAssertEqual(CloudEventPercentEncoding.decode("caf%C3%A9%20%25"), "café %")
    XCTAssertEqual(CloudEventPercentEncoding.decode("100%"), "100%")
    XCTAssertNil(CloudEventPercentEncoding.decode("%FF"))
  }

  func testMixedCaseHeadersDecodeLikeLowercaseOnes() throws {
    let lower: [(String, String)] = [
      ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "encoreos/cl"), ("ce-type", "t"),
      ("ce-correlationid", " c%20d "), ("content-type", "application/json"),
    ]
    let mixed = lower.map { ($0.0.uppercased(), $0.1) }
    let body = Array(#"{"a":1}"#.utf8)
    let expected = try CloudEventNATSBinding.decode(headers: lower, body: body)
    XCTAssertEqual(try CloudEventNATSBinding.decode(headers: mixed, body: body), expected)
    XCTAssertEqual(expected.extensions["correlationid"], .string("c d"))
    XCTAssertEqual(expected.datacontenttype, "application/json")
  }

  func testValidExtensionsNeedNoSortingAndInvalidOnesAreStillReportedInNameOrder() {
    var event = CloudEvent(id: "1", source: "s", type: "t")
    for index in 0..<30 { event.extensions["ext\(index)"] = .integer(Int64(index)) }
    XCTAssertEqual(event.validationErrors(), [])
    event.extensions["Zed"] = .bool(true)
    event.extensions["Abc"] = .bool(true)
    event.extensions["b_c"] = .bool(true)
    XCTAssertEqual(event.validationErrors().map(\.attribute), ["Abc", "Zed", "b_c"])
  }
}
