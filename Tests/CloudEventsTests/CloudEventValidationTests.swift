import CloudEvents
import XCTest

final class CloudEventValidationTests: XCTestCase {
  private func validEvent() -> CloudEvent {
    CloudEvent(
      id: "evt-1", source: "encoreos/cl", type: "encoreos.cl.progress_note_signed",
      datacontenttype: "application/json", dataschema: "https://schemas.example.com/cl/note.json",
      subject: "note/42", extensions: ["correlationid": .string("c-1")], data: Array("{}".utf8))
  }

  /// Asserts that `event` has exactly one violation, for `attribute`, whose reason contains `reason`.
  private func assertSingleViolation(
    _ event: CloudEvent, attribute: String, reason: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    let errors = event.validationErrors()
    XCTAssertEqual(errors.count, 1, "\(errors)", file: file, line: line)
    XCTAssertEqual(errors.first?.attribute, attribute, file: file, line: line)
    XCTAssertTrue(
      errors.first?.reason.contains(reason) ?? false, "reason was \(errors.first?.reason ?? "nil")",
      file: file,
      line: line)
  }

  func testValidEventHasNoViolations() throws {
    XCTAssertEqual(validEvent().validationErrors(), [])
    XCTAssertNoThrow(try validEvent().validate())
    let minimal = CloudEvent(id: "1", source: "/", type: "t")
    XCTAssertEqual(minimal.validationErrors(), [])
  }

  func testEmptyID() {
    var event = validEvent()
    event.id = ""
    assertSingleViolation(event, attribute: "id", reason: "must be a non-empty string")
  }

  func testEmptySource() {
    var event = validEvent()
    event.source = ""
    assertSingleViolation(event, attribute: "source", reason: "must be a non-empty URI-reference")
  }

  func testInvalidSourceURIReferences() {
    let cases: [(String, String)] = [
      ("/path with space", "byte 0x20 at offset 5"),
      ("/a%zzb", "invalid percent-encoding at offset 2"),
      ("/a%4", "invalid percent-encoding at offset 2"),
      ("1abc:foo", "invalid scheme"),
      (":foo", "empty scheme"),
      ("http://[::1/x", "without a closing ']'"),
      ("http://host:80a/x", "in the port"),
      ("http://ho st/", "byte 0x20 at offset 9"),
      ("/caf\u{E9}", "byte 0xC3"),
      ("/a#b#c", "not allowed in the fragment"),
      ("/a?b\"", "not allowed in the query"),
      ("/a{b}", "not allowed in the path"),
    ]
    for (source, reason) in cases {
      var event = validEvent()
      event.source = source
      let errors = event.validationErrors()
      XCTAssertEqual(errors.map(\.attribute), ["source"], source)
      XCTAssertTrue(
        errors.first?.reason.hasPrefix("must be a valid URI-reference (RFC 3986)") ?? false, source)
      XCTAssertTrue(
        errors.first?.reason.contains(reason) ?? false, "\(source): \(errors.first?.reason ?? "")")
    }
  }

  func testValidSourceURIReferences() {
    let sources = [
      "encoreos/cl", "ghasi/registration", "https://github.com/cloudevents",
      "mailto:cncf-wg-serverless@lists.cncf.io",
      "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "cloudevents/spec/pull/123",
      "/sensors/tn-1234567/alerts",
      "1-555-123-4567", "http://user:pw@[::1]:8080/a/b;c?q=1&r=%2F#frag/?", "//host.example", "a/b:c",
      "?only=query",
      "#only-fragment", "http://host:/", ".",
    ]
    for source in sources {
      var event = validEvent()
      event.source = source
      XCTAssertEqual(event.validationErrors(), [], source)
    }
  }

  func testSpecVersionMustBeOneDotZero() {
    var event = validEvent()
    event.specversion = "0.3"
    assertSingleViolation(event, attribute: "specversion", reason: "must be \"1.0\", found \"0.3\"")
  }

  func testEmptyType() {
    var event = validEvent()
    event.type = ""
    assertSingleViolation(event, attribute: "type", reason: "must be a non-empty string")
  }

  func testInvalidDataContentType() {
    let cases: [(String, String)] = [
      ("json", "has no '/' after the type"),
      ("application/", "is missing the subtype"),
      ("/json", "where the type was expected"),
      ("application/json; charset", "without '=value'"),
      ("application/json; charset=", "is missing the parameter value"),
      ("text/plain; a=\"unterminated", "unterminated quoted string"),
      ("application/json extra", "where ';' or the end was expected"),
      ("appli cation/json", "has no '/' after the type"),
      ("text/plain; a=\"line\nbreak\"", "inside a quoted string"),
      ("", "is missing the type"),
    ]
    for (contentType, reason) in cases {
      var event = validEvent()
      event.datacontenttype = contentType
      let errors = event.validationErrors()
      XCTAssertEqual(errors.map(\.attribute), ["datacontenttype"], contentType)
      XCTAssertTrue(errors.first?.reason.hasPrefix("must be an RFC 2046 media type") ?? false, contentType)
      XCTAssertTrue(
        errors.first?.reason.contains(reason) ?? false, "\(contentType): \(errors.first?.reason ?? "")")
    }
  }

  func testValidDataContentTypes() {
    for contentType in [
      "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
      "text/plain; format=\"a b \\\"c\\\"\"", "application/vnd.apache.thrift.binary", "application/fhir+json",
      "Application/JSON",
    ] {
      var event = validEvent()
      event.datacontenttype = contentType
      XCTAssertEqual(event.validationErrors(), [], contentType)
    }
  }

  func testDataSchemaMustBeAbsoluteURI() {
    var event = validEvent()
    event.dataschema = "/schemas/note.json"
    assertSingleViolation(event, attribute: "dataschema", reason: "has no scheme")

    event.dataschema = "https://schemas.example.com/a b"
    assertSingleViolation(event, attribute: "dataschema", reason: "must be an absolute URI (RFC 3986)")

    event.dataschema = ""
    assertSingleViolation(event, attribute: "dataschema", reason: "must be a non-empty absolute URI")

    event.dataschema = "urn:example:schema#/definitions/note"
    XCTAssertEqual(event.validationErrors(), [])
  }

  func testSubjectMustBeNonEmptyWhenPresent() {
    var event = validEvent()
    event.subject = ""
    assertSingleViolation(event, attribute: "subject", reason: "must be non-empty when present")
    event.subject = nil
    XCTAssertEqual(event.validationErrors(), [])
  }

  func testExtensionNameCharacters() {
    for name in ["CorrelationID", "trace_parent", "trace-parent", "caf\u{E9}", "a b"] {
      var event = validEvent()
      event.extensions[name] = .string("x")
      assertSingleViolation(event, attribute: name, reason: "only lowercase ASCII letters and digits")
    }
  }

  func testExtensionNameLength() {
    var event = validEvent()
    event.extensions[""] = .string("x")
    assertSingleViolation(
      event, attribute: "", reason: "must be 1 to 20 characters long, found an empty name")

    event = validEvent()
    event.extensions[String(repeating: "a", count: 21)] = .bool(true)
    assertSingleViolation(
      event, attribute: String(repeating: "a", count: 21), reason: "must be 1 to 20 characters long, found 21"
    )

    event = validEvent()
    event.extensions[String(repeating: "a", count: 20)] = .bool(true)
    event.extensions["x"] = .integer(1)
    XCTAssertEqual(event.validationErrors(), [])
  }

  func testReservedExtensionNames() {
    for name in [
      "id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time", "data",
    ] {
      var event = validEvent()
      event.extensions[name] = .string("x")
      assertSingleViolation(event, attribute: name, reason: "reserved for a CloudEvents attribute")
    }
    var event = validEvent()
    event.extensions["data_base64"] = .string("x")
    XCTAssertEqual(event.validationErrors().map(\.attribute), ["data_base64"])
    XCTAssertTrue(CloudEvent.reservedAttributeNames.contains("data_base64"))
  }

  func testAllViolationsAreReportedInOrderAndValidateThrowsTheFirst() {
    let event = CloudEvent(
      id: "", source: "", type: "", specversion: "2.0", datacontenttype: "bad", dataschema: "rel",
      subject: "", extensions: ["zz_z": .string("1"), "Bad": .bool(false)])
    let errors = event.validationErrors()
    XCTAssertEqual(
      errors.map(\.attribute),
      ["id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "Bad", "zz_z"])
    XCTAssertThrowsError(try event.validate()) { error in
      XCTAssertEqual(error as? CloudEventValidationError, errors.first)
    }
    XCTAssertEqual(errors.first?.description, "attribute 'id': must be a non-empty string")
  }

  func testKnownExtensionAccessors() {
    var event = CloudEvent(id: "1", source: "/s", type: "t")
    XCTAssertNil(event.correlationID)
    event.correlationID = "corr-1"
    event.organizationID = "org-1"
    event.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    XCTAssertEqual(event.extensions["correlationid"], .string("corr-1"))
    XCTAssertEqual(event.extensions["organizationid"], .string("org-1"))
    XCTAssertEqual(event.traceparent, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    XCTAssertEqual(event.organizationID, "org-1")
    event.correlationID = nil
    XCTAssertNil(event.extensions["correlationid"])
    event.extensions["organizationid"] = .integer(42)
    XCTAssertEqual(event.organizationID, "42")
    XCTAssertEqual(event.validationErrors(), [])
  }
}
