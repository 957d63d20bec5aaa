import CloudEvents
import XCTest

final class CloudEventNATSBindingTests: XCTestCase {
  private typealias F = CloudEventFixtures
  private typealias Binding = CloudEventNATSBinding

  private func minimalHeaders(_ extra: [(String, String)] = []) -> [(String, String)] {
    [("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t")] + extra
  }

  private func decodeError(headers: [(String, String)], body: [UInt8] = []) -> CloudEventDecodingError? {
    do {
      _ = try Binding.decode(headers: headers, body: body)
      return nil
    } catch {
      return error
    }
  }

  private func assertHeadersEqual(
    _ actual: [(String, String)], _ expected: [(String, String)], file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertEqual(actual.map(\.0), expected.map(\.0), file: file, line: line)
    XCTAssertEqual(actual.map(\.1), expected.map(\.1), file: file, line: line)
  }

  // MARK: - Binary mode

  func testBinaryEncodeWritesEveryAttributeAsHeader() throws {
    let event = try F.fullEvent()
    let (headers, body) = try Binding.encode(event)
    assertHeadersEqual(
      headers,
      [
        ("ce-specversion", "1.0"),
        ("ce-id", "7f1c9a52-0d8e-4f7b-9a51-3c2f4e5d6a7b"),
        ("ce-source", "encoreos/cl"),
        ("ce-type", "encoreos.cl.progress_note_signed"),
        ("ce-datacontenttype", "application/json"),
        ("ce-dataschema", "https://schemas.example.com/cl/progress_note_signed/v1.json"),
        ("ce-subject", "note%2042%20/%20%22draft%22%20caf%C3%A9%20%F0%9F%98%80"),
        ("ce-time", "2026-04-17T10:00:00.123+02:00"),
        ("ce-big", "9223372036854775807"),
        ("ce-correlationid", "lead-1_to_patient_2026"),
        ("ce-organizationid", "org-1"),
        ("ce-retries", "-3"),
        ("ce-sampled", "true"),
        ("Content-Type", "application/json"),
      ])
    XCTAssertEqual(body, F.bytes(F.jsonData))
  }

  func testBinaryRoundTripTurnsExtensionValuesIntoStrings() throws {
    let event = try F.fullEvent()
    let (headers, body) = try Binding.encode(event, mode: .binary)
    XCTAssertTrue(Binding.isBinary(headers: headers))
    let decoded = try Binding.decode(headers: headers, body: body)
    var expected = event
    expected.extensions = event.extensions.mapValues { .string($0.stringValue) }
    XCTAssertEqual(decoded, expected)
    XCTAssertEqual(decoded.time?.rfc3339, "2026-04-17T10:00:00.123+02:00")
  }

  func testBinaryRoundTripWithBinaryAndAbsentData() throws {
    let binary = try F.fullEvent(data: [0x00, 0xFF, 0xC3, 0x28], datacontenttype: "application/octet-stream")
    let (headers, body) = try Binding.encode(binary)
    XCTAssertEqual(body, [0x00, 0xFF, 0xC3, 0x28])
    XCTAssertEqual(try Binding.decode(headers: headers, body: body).data, binary.data)

    let empty = CloudEvent(id: "1", source: "/s", type: "t")
    let encoded = try Binding.encode(empty)
    assertHeadersEqual(encoded.headers, minimalHeaders())
    XCTAssertEqual(encoded.body, [])
    XCTAssertEqual(try Binding.decode(headers: encoded.headers, body: encoded.body), empty)
  }

  // MARK: - Structured mode

  func testStructuredRoundTripKeepsExtensionKinds() throws {
    let event = try F.fullEvent()
    let (headers, body) = try Binding.encode(event, mode: .structured)
    assertHeadersEqual(headers, [("Content-Type", "application/cloudevents+json")])
    XCTAssertEqual(body, try CloudEventJSONFormat.encode(event))
    XCTAssertFalse(Binding.isBinary(headers: headers))
    XCTAssertEqual(try Binding.decode(headers: headers, body: body), event)
  }

  func testStructuredRoundTripWithBinaryAndAbsentData() throws {
    for event in [
      try F.fullEvent(data: [0xDE, 0xAD, 0xBE, 0xEF], datacontenttype: "application/octet-stream"),
      try F.fullEvent(data: nil),
    ] {
      let (headers, body) = try Binding.encode(event, mode: .structured)
      XCTAssertEqual(try Binding.decode(headers: headers, body: body), event)
    }
  }

  func testStructuredContentTypeVariants() throws {
    let body = try CloudEventJSONFormat.encode(CloudEvent(id: "1", source: "/s", type: "t"))
    for contentType in [
      "application/cloudevents+json", "application/cloudevents+json; charset=utf-8",
      "Application/CloudEvents+JSON",
    ] {
      XCTAssertEqual(
        try Binding.decode(headers: [("content-type", contentType)], body: body).id, "1", contentType)
    }
    // Absent Content-Type: a JSON object with "specversion" is structured.
    XCTAssertEqual(try Binding.decode(headers: [("Nats-Msg-Id", "1")], body: body).id, "1")
  }

  // MARK: - Detection

  func testBinaryDetection() {
    XCTAssertTrue(Binding.isBinary(headers: [("ce-specversion", "1.0")]))
    XCTAssertTrue(Binding.isBinary(headers: [("Nats-Msg-Id", "x"), ("CE-SpecVersion", "1.0")]))
    XCTAssertFalse(Binding.isBinary(headers: []))
    XCTAssertFalse(
      Binding.isBinary(headers: [("ce-id", "1"), ("ce-specversionx", "1.0"), ("specversion", "1.0")]))
    XCTAssertFalse(Binding.isBinary(headers: [("Content-Type", "application/cloudevents+json")]))
  }

  func testBinaryWinsOverStructuredContentType() throws {
    // ce-specversion makes the message binary even with a CloudEvents content type.
    let event = try Binding.decode(
      headers: minimalHeaders([("ce-datacontenttype", "application/json")]),
      body: F.bytes("{\"specversion\":\"0.3\"}"))
    XCTAssertEqual(event.data, F.bytes("{\"specversion\":\"0.3\"}"))
    XCTAssertEqual(event.datacontenttype, "application/json")
  }

  func testMessagesThatAreNotCloudEvents() {
    let jsonObject = F.bytes(#"{"id":"1","source":"/s","type":"t"}"#)
    var error = decodeError(headers: [], body: jsonObject)
    XCTAssertEqual(error?.code, .notACloudEvent)
    XCTAssertTrue(
      error?.reason.contains("no Content-Type, and the body is not a JSON object with a 'specversion'")
        ?? false)

    error = decodeError(headers: [], body: F.bytes("hello"))
    XCTAssertEqual(error?.code, .notACloudEvent)

    error = decodeError(
      headers: [("Content-Type", "application/json")], body: F.bytes(#"{"specversion":"1.0"}"#))
    XCTAssertEqual(error?.code, .notACloudEvent)
    XCTAssertTrue(
      error?.reason.contains("Content-Type 'application/json' is not application/cloudevents+json") ?? false,
      error?.reason ?? "")

    error = decodeError(
      headers: [("Content-Type", "application/cloudevents-batch+json")], body: F.bytes("[]"))
    XCTAssertEqual(error?.code, .unsupportedFormat)
    XCTAssertTrue(error?.reason.contains("batched content mode") ?? false)

    error = decodeError(headers: [("Content-Type", "application/cloudevents+avro")], body: [])
    XCTAssertEqual(error?.code, .unsupportedFormat)

    error = decodeError(headers: [("Content-Type", "application/cloudevents+json")], body: F.bytes("[1]"))
    XCTAssertEqual(error?.code, .notAnObject)
  }

  // MARK: - Percent-encoding

  func testPercentEncodingEdgeCases() throws {
    let cases: [(String, String)] = [
      ("a b", "a%20b"),
      ("%", "%25"),
      ("100%", "100%25"),
      ("say \"hi\"", "say%20%22hi%22"),
      ("é", "%C3%A9"),
      ("😀", "%F0%9F%98%80"),
      ("\u{1}\t\n\r\u{7F}", "%01%09%0A%0D%7F"),
      ("\u{80}", "%C2%80"),
      ("!#$&'()*+,/:;<=>?@[\\]^_`{|}~", "!#$&'()*+,/:;<=>?@[\\]^_`{|}~"),
      ("%zz", "%25zz"),
    ]
    for (value, encoded) in cases {
      let event = CloudEvent(id: "1", source: "/s", type: "t", extensions: ["note": .string(value)])
      let (headers, body) = try Binding.encode(event)
      XCTAssertEqual(headers.first { $0.0 == "ce-note" }?.1, encoded, value.debugDescription)
      XCTAssertEqual(try Binding.decode(headers: headers, body: body), event, value.debugDescription)
    }
  }

  func testLenientPercentDecoding() throws {
    let cases: [(String, String)] = [
      ("%", "%"),
      ("%zz", "%zz"),
      ("%4", "%4"),
      ("50%", "50%"),
      ("%41", "A"),
      ("%c3%a9", "é"),
      ("%C3%A9", "é"),
      ("%%41", "%A"),
      ("%4%41", "%4A"),
      ("a b é 😀", "a b é 😀"),
      ("%2541", "%41"),
    ]
    for (header, value) in cases {
      let event = try Binding.decode(headers: minimalHeaders([("ce-note", header)]), body: [])
      XCTAssertEqual(event.extensions["note"], .string(value), header)
    }
  }

  func testPercentDecodedInvalidUTF8IsAnError() {
    for header in ["%C3%28", "%FF", "%C3", "a%80b", "%ED%A0%80"] {
      let error = decodeError(headers: minimalHeaders([("ce-subject", header)]))
      XCTAssertEqual(error?.code, .invalidHeaderValue, header)
      XCTAssertEqual(error?.reason, "header 'ce-subject': the percent-decoded value is not valid UTF-8")
    }
  }

  // MARK: - Go SDK style and header details

  func testGoSDKStyleMessageIsAccepted() throws {
    let headers: [(String, String)] = [
      ("ce-specversion", "1.0"),
      ("ce-id", "b2b2c8a4-0a4c-4e0e-9f3e-1b9d2c3d4e5f"),
      ("ce-source", "encoreos/ce"),
      ("ce-type", "encoreos.ce.ce_lead_converted_to_patient"),
      ("ce-subject", "lead 42 converted"),
      ("ce-time", "2026-04-17T10:00:00.123456789Z"),
      ("ce-correlationid", "lead-42_to_lead_to_patient_2026-04-17T10:00:00Z"),
      ("ce-note", " 100% done, café\t"),
      ("content-type", "application/json"),
      ("Nats-Msg-Id", "b2b2c8a4-0a4c-4e0e-9f3e-1b9d2c3d4e5f"),
    ]
    let body = F.bytes(#"{"lead_id":"42"}"#)
    let event = try Binding.decode(headers: headers, body: body)
    XCTAssertEqual(event.id, "b2b2c8a4-0a4c-4e0e-9f3e-1b9d2c3d4e5f")
    XCTAssertEqual(event.subject, "lead 42 converted")
    XCTAssertEqual(event.datacontenttype, "application/json")
    XCTAssertEqual(event.time?.rfc3339, "2026-04-17T10:00:00.123456789Z")
    XCTAssertEqual(event.correlationID, "lead-42_to_lead_to_patient_2026-04-17T10:00:00Z")
    XCTAssertEqual(event.extensions["note"], .string("100% done, café"))
    XCTAssertEqual(event.extensions.count, 2)
    XCTAssertEqual(event.data, body)
  }

  func testHeaderNamesAreCaseInsensitiveAndUnknownOnesBecomeExtensions() throws {
    let event = try Binding.decode(
      headers: [
        ("CE-SPECVERSION", "1.0"), ("Ce-Id", "1"), ("ce-Source", "/s"), ("ce-type", "t"),
        ("Ce-TraceParent", "00-ab"),
        ("CONTENT-TYPE", " text/plain "),
      ], body: F.bytes("hi"))
    XCTAssertEqual(event.id, "1")
    XCTAssertEqual(event.traceparent, "00-ab")
    XCTAssertEqual(event.datacontenttype, "text/plain")
  }

  func testDataContentTypeHeaderPrecedence() throws {
    let event = try Binding.decode(
      headers: minimalHeaders([("Content-Type", "text/plain"), ("ce-datacontenttype", "application/xml")]),
      body: [])
    XCTAssertEqual(event.datacontenttype, "application/xml")
    let fromContentType = try Binding.decode(
      headers: minimalHeaders([("Content-Type", "text/plain")]), body: [])
    XCTAssertEqual(fromContentType.datacontenttype, "text/plain")
  }

  func testBinaryErrors() {
    var error = decodeError(headers: [("ce-specversion", "1.0"), ("ce-source", "/s"), ("ce-type", "t")])
    XCTAssertEqual(error?.code, .missingAttribute)
    XCTAssertEqual(error?.reason, "missing required attribute 'id' (header 'ce-id')")

    error = decodeError(headers: minimalHeaders([("ce-time", "2026-04-17T10:00:00")]))
    XCTAssertEqual(error?.code, .invalidTimestamp)
    XCTAssertEqual(error?.reason, "attribute 'time' (header 'ce-time') must be an RFC 3339 timestamp")

    error = decodeError(headers: minimalHeaders([("ce-id", "2")]))
    XCTAssertEqual(error?.code, .duplicateHeader)
    XCTAssertEqual(error?.reason, "header 'ce-id' appears more than once with different values")
    XCTAssertNil(decodeError(headers: minimalHeaders([("CE-ID", "1")])))

    error = decodeError(headers: [
      ("ce-specversion", "0.3"), ("ce-id", "1"), ("ce-source", "/s"), ("ce-type", "t"),
    ])
    XCTAssertEqual(error?.code, .invalidEvent)
    XCTAssertEqual(error?.violations.map(\.attribute), ["specversion"])

    error = decodeError(headers: minimalHeaders([("ce-Bad_Name", "x"), ("ce-data", "x"), ("ce-", "x")]))
    XCTAssertEqual(error?.code, .invalidEvent)
    XCTAssertEqual(error?.violations.map(\.attribute), ["", "bad_name", "data"])

    error = decodeError(headers: minimalHeaders([("ce-datacontenttype", "not a media type")]))
    XCTAssertEqual(error?.violations.map(\.attribute), ["datacontenttype"])
  }

  /// Past a few dozen attributes the decoder indexes their names: the rules stay the same on
  /// both sides of that switch (first value kept, an equal repeat accepted, a different one an
  /// error, required attributes found wherever they come), and thousands of headers decode.
  func testManyAttributesKeepTheDuplicateAndLookupRules() throws {
    let many = (0..<5_000).map { ("ce-x\($0)", "v\($0)") }
    // Required attributes after the extensions, and repeated with the same value.
    let event = try Binding.decode(
      headers: many + minimalHeaders() + [("CE-X4999", "v4999"), ("ce-x7", "v7"), ("ce-subject", "s")],
      body: [])
    XCTAssertEqual(event.id, "1")
    XCTAssertEqual(event.type, "t")
    XCTAssertEqual(event.subject, "s")
    XCTAssertEqual(event.extensions.count, 5_000)
    XCTAssertEqual(event.extensions["x0"], .string("v0"))
    XCTAssertEqual(event.extensions["x4999"], .string("v4999"))

    for position in [3, 40, 4_999] {  // before, just after and far after the switch to the index
      let error = decodeError(headers: many + minimalHeaders() + [("ce-x\(position)", "other")])
      XCTAssertEqual(error?.code, .duplicateHeader, "position \(position)")
      XCTAssertEqual(
        error?.reason, "header 'ce-x\(position)' appears more than once with different values")
    }
    XCTAssertEqual(
      decodeError(headers: many + [("ce-specversion", "1.0"), ("ce-source", "/s"), ("ce-type", "t")])?.reason,
      "missing required attribute 'id' (header 'ce-id')")
  }

  func testEncodeRejectsInvalidEvents() {
    let event = CloudEvent(id: "", source: "/s", type: "t")
    for mode in [CloudEventNATSBinding.Mode.binary, .structured] {
      XCTAssertThrowsError(try Binding.encode(event, mode: mode)) { error in
        XCTAssertEqual(
          error as? CloudEventValidationError,
          CloudEventValidationError(attribute: "id", reason: "must be a non-empty string"))
      }
    }
  }
}
