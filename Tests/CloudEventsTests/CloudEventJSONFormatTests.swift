import CloudEvents
import XCTest

final class CloudEventJSONFormatTests: XCTestCase {
  private typealias F = CloudEventFixtures

  private func assertDecodingFails(
    _ json: String, code: CloudEventDecodingError.Code, reason: String, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertThrowsError(try CloudEventJSONFormat.decode(F.bytes(json)), file: file, line: line) { error in
      guard let error = error as? CloudEventDecodingError else {
        return XCTFail("unexpected error \(error)", file: file, line: line)
      }
      XCTAssertEqual(error.code, code, error.reason, file: file, line: line)
      XCTAssertTrue(error.reason.contains(reason), "reason was: \(error.reason)", file: file, line: line)
    }
  }

  // MARK: - Round trips

  func testFullEventEncodesDeterministicallyAndRoundTrips() throws {
    let event = try F.fullEvent()
    let encoded = try CloudEventJSONFormat.encode(event)
    let expected =
      #"{"specversion":"1.0","id":"7f1c9a52-0d8e-4f7b-9a51-3c2f4e5d6a7b","source":"encoreos/cl","#
      + #""type":"encoreos.cl.progress_note_signed","datacontenttype":"application/json","#
      + #""dataschema":"https://schemas.example.com/cl/progress_note_signed/v1.json","#
      + #""subject":"note 42 / \"draft\" café 😀","time":"2026-04-17T10:00:00.123+02:00","#
      + #""big":9223372036854775807,"correlationid":"lead-1_to_patient_2026","organizationid":"org-1","#
      + #""retries":-3,"sampled":true,"data":"# + F.jsonData + "}"
    XCTAssertEqual(F.text(encoded), expected)
    XCTAssertEqual(CloudEventJSONFormat.contentType, "application/cloudevents+json")

    let decoded = try CloudEventJSONFormat.decode(encoded)
    XCTAssertEqual(decoded, event)
    XCTAssertEqual(try CloudEventJSONFormat.encode(decoded), encoded)
  }

  /// A consumer encodes every received (already validated) event for its ledger without checking
  /// it again; the document is the same as `encode(_:)`'s, whatever the data.
  func testEncodingAValidatedEventSkipsOnlyTheChecks() throws {
    var events = [
      try F.fullEvent(),
      try F.fullEvent(data: [0x00, 0xFF, 0x10], datacontenttype: "application/octet-stream"),
      CloudEvent(id: "1", source: "/s", type: "t"),
      CloudEvent(
        id: "2", source: "/s", type: "t", datacontenttype: "application/json", data: F.bytes("not json")),
      CloudEvent(id: "3", source: "/s", type: "t", data: F.bytes("[1,\"x\",null]")),
    ]
    events[2].extensions["sampled"] = .bool(false)
    for event in events {
      XCTAssertEqual(
        CloudEventJSONFormat.encode(validated: event), try CloudEventJSONFormat.encode(event), event.id)
    }
    var invalid = CloudEvent(id: "", source: "/s", type: "t")
    invalid.subject = "s"
    XCTAssertThrowsError(try CloudEventJSONFormat.encode(invalid), "the checking encoder still refuses it")
  }

  func testBinaryDataTravelsAsBase64() throws {
    let payload: [UInt8] = [0x00, 0xFF, 0x10, 0x80, 0x7F]
    let event = try F.fullEvent(data: payload, datacontenttype: "application/octet-stream")
    let encoded = try CloudEventJSONFormat.encode(event)
    XCTAssertTrue(F.text(encoded).hasSuffix(#","data_base64":"AP8QgH8="}"#), F.text(encoded))
    XCTAssertFalse(F.text(encoded).contains(#""data":"#))
    XCTAssertEqual(try CloudEventJSONFormat.decode(encoded), event)
  }

  func testBase64LengthsRoundTrip() throws {
    for count in 0..<7 {
      let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 200) }
      let event = CloudEvent(id: "1", source: "/s", type: "t", datacontenttype: "image/png", data: payload)
      XCTAssertEqual(try CloudEventJSONFormat.decode(try CloudEventJSONFormat.encode(event)), event)
    }
  }

  func testJSONContentTypeWithNonJSONBytesFallsBackToBase64() throws {
    for payload in ["not json", "{\"a\":1} ", "", "{\"a\":1}{}"] {
      let event = CloudEvent(
        id: "1", source: "/s", type: "t", datacontenttype: "application/json", data: F.bytes(payload))
      let encoded = try CloudEventJSONFormat.encode(event)
      XCTAssertTrue(F.text(encoded).contains(#""data_base64":"#), payload)
      XCTAssertEqual(try CloudEventJSONFormat.decode(encoded), event, payload)
    }
  }

  func testAbsentDataHasNoDataMember() throws {
    let event = try F.fullEvent(data: nil)
    let encoded = try CloudEventJSONFormat.encode(event)
    XCTAssertFalse(F.text(encoded).contains(#""data":"#))
    XCTAssertFalse(F.text(encoded).contains(#""data_base64":"#))
    let decoded = try CloudEventJSONFormat.decode(encoded)
    XCTAssertNil(decoded.data)
    XCTAssertEqual(decoded, event)
  }

  func testDataAsJSONWithoutContentTypeAndWithPlusJSON() throws {
    for contentType in [nil, "application/fhir+json; fhirVersion=4.0", "text/json"] {
      let event = CloudEvent(
        id: "1", source: "/s", type: "t", datacontenttype: contentType, data: F.bytes("[1,\"x\"]"))
      let encoded = try CloudEventJSONFormat.encode(event)
      XCTAssertTrue(F.text(encoded).hasSuffix(#""data":[1,"x"]}"#), F.text(encoded))
      XCTAssertEqual(try CloudEventJSONFormat.decode(encoded), event)
    }
  }

  func testDecodeKeepsRawDataTextByteExact() throws {
    let rawData = "{ \"a\" : [1, 2.50e1 ,\n\t\"\\u00e9\\/\"] , \"b\": {} }"
    let json = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":  "# + rawData + "  \n}"
    let event = try CloudEventJSONFormat.decode(F.bytes(json))
    XCTAssertEqual(event.data, F.bytes(rawData))
    XCTAssertNil(event.datacontenttype)
    let reencoded = try CloudEventJSONFormat.encode(event)
    XCTAssertTrue(F.text(reencoded).hasSuffix(#""data":"# + rawData + "}"))
  }

  func testDataScalarsAndExplicitNull() throws {
    for raw in ["null", "\"I'm just a string\"", "42", "true"] {
      let json = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"# + raw + "}"
      let event = try CloudEventJSONFormat.decode(F.bytes(json))
      XCTAssertEqual(event.data, F.bytes(raw), raw)
      XCTAssertEqual(F.text(try CloudEventJSONFormat.encode(event)), json)
    }
  }

  func testNonJSONContentTypeStringDataIsItsContent() throws {
    let json =
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","datacontenttype":"application/xml","#
      + #""data":"<much wow=\"xml\"/>"}"#
    let event = try CloudEventJSONFormat.decode(F.bytes(json))
    XCTAssertEqual(event.data, F.bytes("<much wow=\"xml\"/>"))
    // Re-encoded as base64 (non-JSON content types always are) and still the same event.
    XCTAssertEqual(try CloudEventJSONFormat.decode(try CloudEventJSONFormat.encode(event)), event)
  }

  func testNullAttributesAreAbsent() throws {
    let json =
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","subject":null,"time":null,"#
      + #""datacontenttype":null,"dataschema":null,"unset":null,"data_base64":null}"#
    let event = try CloudEventJSONFormat.decode(F.bytes(json))
    XCTAssertNil(event.subject)
    XCTAssertNil(event.time)
    XCTAssertNil(event.datacontenttype)
    XCTAssertNil(event.dataschema)
    XCTAssertNil(event.data)
    XCTAssertEqual(event.extensions, [:])
  }

  func testStringEscapesInAttributes() throws {
    let json =
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","subject":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \t\n\u0001"}"#
    let event = try CloudEventJSONFormat.decode(F.bytes(json))
    XCTAssertEqual(event.subject, "café 😀 \"q\" \\ / \t\n\u{1}")
    let reencoded = F.text(try CloudEventJSONFormat.encode(event))
    XCTAssertTrue(reencoded.contains(#""subject":"café 😀 \"q\" \\ / \t\n\u0001""#), reencoded)
    XCTAssertEqual(try CloudEventJSONFormat.decode(F.bytes(reencoded)), event)
  }

  func testExtensionKindsDecode() throws {
    let json =
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","a":"x","b":false,"c":-0,"d":9223372036854775807,"#
      + #""e":-9223372036854775808}"#
    let event = try CloudEventJSONFormat.decode(F.bytes(json))
    XCTAssertEqual(
      event.extensions,
      ["a": .string("x"), "b": .bool(false), "c": .integer(0), "d": .integer(.max), "e": .integer(.min)])
  }

  // MARK: - Errors

  func testNotAnObject() {
    assertDecodingFails("[]", code: .notAnObject, reason: "must be a JSON object, found a JSON array")
    assertDecodingFails("\"x\"", code: .notAnObject, reason: "found a JSON string")
    assertDecodingFails(" 12 ", code: .notAnObject, reason: "found a JSON number")
    assertDecodingFails("null", code: .notAnObject, reason: "found a JSON null")
  }

  func testMalformedJSON() {
    assertDecodingFails("", code: .malformedJSON, reason: "unexpected end of input")
    assertDecodingFails(#"{"id":"#, code: .malformedJSON, reason: "malformed JSON")
    assertDecodingFails(
      #"{"id":"1"} x"#, code: .malformedJSON, reason: "after the JSON value at byte offset 11")
    assertDecodingFails(#"{"id":"1",}"#, code: .malformedJSON, reason: "expected a member name")
    assertDecodingFails(#"{"id":01}"#, code: .malformedJSON, reason: "expected '}'")
    assertDecodingFails(#"{"id":"a\x"}"#, code: .malformedJSON, reason: "invalid escape sequence")
    assertDecodingFails(#"{"id":"\ud83d"}"#, code: .malformedJSON, reason: "unpaired UTF-16 high surrogate")
    assertDecodingFails(#"{"id":"\ude00"}"#, code: .malformedJSON, reason: "unpaired UTF-16 low surrogate")
    assertDecodingFails("{\"id\":\"a\u{1}\"}", code: .malformedJSON, reason: "unescaped control character")
    assertDecodingFails(#"{"id":tru}"#, code: .malformedJSON, reason: "invalid literal")
    assertDecodingFails(
      #"{"id":1.}"#, code: .malformedJSON, reason: "expected a digit after the decimal point")
    assertDecodingFails(#"{"id":"1","id":"2"}"#, code: .malformedJSON, reason: "duplicate member \"id\"")
  }

  /// Strings inside `data` are validated without being built: the same errors as at the top level.
  func testNestedStringsAreValidatedLikeTopLevelOnes() {
    let head = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"a":["#
    assertDecodingFails(head + #""a\x"]}}"#, code: .malformedJSON, reason: "invalid escape sequence")
    assertDecodingFails(
      head + #""\ud83d"]}}"#, code: .malformedJSON, reason: "unpaired UTF-16 high surrogate")
    assertDecodingFails(head + "\"a\u{1}\"]}}", code: .malformedJSON, reason: "unescaped control character")
    assertDecodingFails(head + #""open"#, code: .malformedJSON, reason: "unterminated string")
    assertDecodingFails(
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"k\q":1}}"#, code: .malformedJSON,
      reason: "invalid escape sequence")
    var bytes = F.bytes(head + "\"")
    bytes += [0xC3, 0x28]
    bytes += F.bytes("\"]}}")
    XCTAssertThrowsError(try CloudEventJSONFormat.decode(bytes)) { error in
      XCTAssertEqual((error as? CloudEventDecodingError)?.code, .malformedJSON)
      XCTAssertTrue((error as? CloudEventDecodingError)?.reason.contains("invalid UTF-8") ?? false)
    }
    // Valid nested strings (escapes, surrogate pairs, non-ASCII) keep data byte-exact.
    let valid = head + #""\u00e9\ud83d\ude00\n", "é 漢字", "\/"], "b": {"c": "d"}}}"#
    XCTAssertEqual(
      (try? CloudEventJSONFormat.decode(F.bytes(valid)))?.data,
      F.bytes(#"{"a":["\u00e9\ud83d\ude00\n", "é 漢字", "\/"], "b": {"c": "d"}}"#))
  }

  func testInvalidUTF8IsMalformed() {
    var bytes = F.bytes(#"{"specversion":"1.0","id":"1","source":"/s","type":"t","subject":""#)
    bytes += [0xC3, 0x28]
    bytes += F.bytes("\"}")
    XCTAssertThrowsError(try CloudEventJSONFormat.decode(bytes)) { error in
      XCTAssertEqual((error as? CloudEventDecodingError)?.code, .malformedJSON)
      XCTAssertTrue((error as? CloudEventDecodingError)?.reason.contains("invalid UTF-8") ?? false)
    }
  }

  func testDeepNestingIsRejectedWithoutCrashing() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    assertDecodingFails(
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"# + deep + "}", code: .malformedJSON,
      reason: "nested more than 200 levels")
  }

  func testErrorTextNeverQuotesData() throws {
    let json = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"ssn":SECRET-123}}"#
    XCTAssertThrowsError(try CloudEventJSONFormat.decode(F.bytes(json))) { error in
      let reason = (error as? CloudEventDecodingError)?.reason ?? ""
      XCTAssertEqual((error as? CloudEventDecodingError)?.code, .malformedJSON)
      XCTAssertFalse(reason.contains("SECRET") || reason.contains("123"), reason)
      XCTAssertTrue(reason.contains("found a letter"), reason)
    }
  }

  func testMissingRequiredAttributes() {
    assertDecodingFails(
      #"{"id":"1","source":"/s","type":"t"}"#, code: .missingAttribute, reason: "'specversion'")
    assertDecodingFails(
      #"{"specversion":"1.0","source":"/s","type":"t"}"#, code: .missingAttribute, reason: "'id'")
    assertDecodingFails(
      #"{"specversion":"1.0","id":"1","source":null,"type":"t"}"#, code: .missingAttribute,
      reason: "missing required attribute 'source'")
    assertDecodingFails(
      #"{"specversion":"1.0","id":"1","source":"/s"}"#, code: .missingAttribute, reason: "'type'")
  }

  func testWrongTypes() {
    let base = #"{"specversion":"1.0","source":"/s","type":"t","#
    assertDecodingFails(
      base + #""id":5}"#, code: .wrongType,
      reason: "attribute 'id' must be a JSON string, found a JSON number")
    assertDecodingFails(
      base + #""id":"1","time":true}"#, code: .wrongType, reason: "'time' must be a JSON string")
    assertDecodingFails(
      base + #""id":"1","datacontenttype":1}"#, code: .wrongType, reason: "'datacontenttype'")
    assertDecodingFails(base + #""id":"1","subject":{}}"#, code: .wrongType, reason: "found a JSON object")
    assertDecodingFails(
      base + #""id":"1","data_base64":5}"#, code: .wrongType, reason: "'data_base64' must be")
    assertDecodingFails(
      base + #""id":"1","ext":{"a":1}}"#, code: .wrongType,
      reason: "extension attribute 'ext' must be a JSON string, boolean or integer, found a JSON object")
    assertDecodingFails(base + #""id":"1","ext":[1]}"#, code: .wrongType, reason: "found a JSON array")
    assertDecodingFails(
      base + #""id":"1","ext":1.5}"#, code: .wrongType, reason: "must be an integer within 64 bits")
    assertDecodingFails(base + #""id":"1","ext":1e3}"#, code: .wrongType, reason: "'ext' must be an integer")
    assertDecodingFails(
      base + #""id":"1","ext":9223372036854775808}"#, code: .wrongType, reason: "out-of-range number")
  }

  func testBothDataAndDataBase64() {
    assertDecodingFails(
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{},"data_base64":"AA=="}"#,
      code: .conflictingData, reason: "both 'data' and 'data_base64' are present")
  }

  func testInvalidBase64() {
    let base = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"#
    assertDecodingFails(
      base + #""QUJ@"}"#, code: .invalidBase64, reason: "outside the base64 alphabet at offset 3")
    assertDecodingFails(
      base + #""QUJD R"}"#, code: .invalidBase64, reason: "outside the base64 alphabet at offset 4")
    assertDecodingFails(base + #""QUJDR"}"#, code: .invalidBase64, reason: "impossible length")
    assertDecodingFails(base + #""QQ==="}"#, code: .invalidBase64, reason: "misplaced '=' padding")
    assertDecodingFails(base + #""QUJD="}"#, code: .invalidBase64, reason: "misplaced '=' padding")
    assertDecodingFails(base + #""Q=Q="}"#, code: .invalidBase64, reason: "outside the base64 alphabet")
  }

  func testUnpaddedBase64IsAccepted() throws {
    let json = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"QUI"}"#
    XCTAssertEqual(try CloudEventJSONFormat.decode(F.bytes(json)).data, F.bytes("AB"))
  }

  func testInvalidTime() {
    assertDecodingFails(
      #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2026-04-17 10:00:00Z"}"#,
      code: .invalidTimestamp, reason: "attribute 'time' must be an RFC 3339 timestamp")
  }

  func testDecodingValidates() throws {
    let json = #"{"specversion":"0.3","id":"","source":"/s","type":"t","Bad_Name":"x"}"#
    XCTAssertThrowsError(try CloudEventJSONFormat.decode(F.bytes(json))) { error in
      guard let error = error as? CloudEventDecodingError else { return XCTFail("\(error)") }
      XCTAssertEqual(error.code, .invalidEvent)
      XCTAssertEqual(error.violations.map(\.attribute), ["id", "specversion", "Bad_Name"])
      XCTAssertTrue(
        error.reason.hasPrefix("invalid CloudEvent: attribute 'id': must be a non-empty string; "))
      XCTAssertTrue(error.reason.contains("attribute 'specversion': must be \"1.0\", found \"0.3\""))
    }
  }

  func testEncodeRejectsInvalidEvents() {
    let event = CloudEvent(id: "1", source: "/s", type: "t", extensions: ["Upper": .string("x")])
    XCTAssertThrowsError(try CloudEventJSONFormat.encode(event)) { error in
      XCTAssertEqual((error as? CloudEventValidationError)?.attribute, "Upper")
    }
  }
}
