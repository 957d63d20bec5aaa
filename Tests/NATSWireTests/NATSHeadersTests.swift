import NATSWire
import NIOCore
import XCTest

final class NATSHeadersTests: XCTestCase {
  private func parse(_ block: String) throws -> NATSHeaders {
    try NATSHeaders.parse(ByteBuffer(string: block))
  }

  private func encoded(_ headers: NATSHeaders) -> String {
    var buffer = ByteBuffer()
    headers.write(to: &buffer)
    return String(buffer: buffer)
  }

  func testCaseIsPreservedAndOrderKept() throws {
    let headers = try parse("NATS/1.0\r\nContent-Type: a\r\ncontent-type: b\r\nX-ID: 1\r\n\r\n")
    XCTAssertEqual(headers.pairs.map(\.name), ["Content-Type", "content-type", "X-ID"])
    XCTAssertEqual(headers.pairs.map(\.value), ["a", "b", "1"])
    XCTAssertEqual(headers.unlabeledPairs.map(\.0), ["Content-Type", "content-type", "X-ID"])
    XCTAssertEqual(headers.unlabeledPairs.map(\.1), ["a", "b", "1"])
    XCTAssertEqual(Array(headers).map(\.name), ["Content-Type", "content-type", "X-ID"])
    XCTAssertEqual(encoded(headers), "NATS/1.0\r\nContent-Type: a\r\ncontent-type: b\r\nX-ID: 1\r\n\r\n")
  }

  func testLookupPrefersExactCaseThenFallsBackToCaseInsensitive() {
    let headers = NATSHeaders([("Content-Type", "upper"), ("content-type", "lower")])
    XCTAssertEqual(headers["content-type"], "lower")
    XCTAssertEqual(headers["Content-Type"], "upper")
    XCTAssertEqual(headers["CONTENT-TYPE"], "upper", "fallback returns the first case-insensitive match")
    XCTAssertNil(headers["Content-Length"])
    XCTAssertEqual(headers.values(for: "content-type"), ["lower"])
    XCTAssertEqual(headers.values(for: "CONTENT-type"), ["upper", "lower"])
    XCTAssertEqual(headers.values(for: "missing"), [])
    XCTAssertTrue(headers.contains("CONTENT-TYPE"))
    XCTAssertFalse(headers.contains("Content"))
  }

  func testCaseInsensitiveFallbackIsASCIIOnly() {
    let headers = NATSHeaders([("Ä-key", "1")])
    XCTAssertNil(headers["ä-KEY"])
    XCTAssertEqual(headers["Ä-KEY"], "1")
  }

  func testRepeatedKeys() throws {
    var headers = NATSHeaders()
    headers.append("X-Dup", "1")
    headers.append("Other", "o")
    headers.append("X-Dup", "2")
    XCTAssertEqual(headers.values(for: "X-Dup"), ["1", "2"])
    XCTAssertEqual(headers["X-Dup"], "1")
    XCTAssertEqual(headers.count, 3)
    let parsed = try parse(encoded(headers))
    XCTAssertEqual(parsed, headers)
  }

  func testSubscriptSetReplacesAllValuesInPlaceAndNilRemoves() {
    var headers = NATSHeaders([("A", "1"), ("B", "b"), ("A", "2"), ("a", "lower")])
    headers["A"] = "new"
    XCTAssertEqual(headers.pairs.map(\.name), ["A", "B", "a"])
    XCTAssertEqual(headers.pairs.map(\.value), ["new", "b", "lower"])
    headers["C"] = "c"
    XCTAssertEqual(headers.pairs.last?.name, "C")
    headers["A"] = nil
    XCTAssertEqual(headers.pairs.map(\.name), ["B", "a", "C"])
    headers.remove("a")
    XCTAssertEqual(headers.pairs.map(\.name), ["B", "C"])
    headers.remove("missing")
    XCTAssertEqual(headers.count, 2)
  }

  func testIsEmpty() {
    XCTAssertTrue(NATSHeaders().isEmpty)
    XCTAssertFalse(NATSHeaders([("a", "b")]).isEmpty)
    XCTAssertFalse(NATSHeaders(status: 100).isEmpty)
  }

  func testStatusAndDescriptionParse() throws {
    let noResponders = try parse("NATS/1.0 503\r\n\r\n")
    XCTAssertEqual(noResponders.status, 503)
    XCTAssertNil(noResponders.statusDescription)
    XCTAssertEqual(noResponders.count, 0)

    let timeout = try parse(
      "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 3\r\nNats-Pending-Bytes: 512\r\n\r\n")
    XCTAssertEqual(timeout.status, 408)
    XCTAssertEqual(timeout.statusDescription, "Request Timeout")
    XCTAssertEqual(timeout[NATSHeaders.Name.pendingMessages], "3")
    XCTAssertEqual(timeout[NATSHeaders.Name.pendingBytes], "512")

    let heartbeat = try parse("NATS/1.0\t100   Idle Heartbeat  \r\n\r\n")
    XCTAssertEqual(heartbeat.status, NATSHeaders.Status.control)
    XCTAssertEqual(heartbeat.statusDescription, "Idle Heartbeat")

    let plain = try parse("NATS/1.0\r\n\r\n")
    XCTAssertNil(plain.status)
    XCTAssertTrue(plain.isEmpty)
  }

  func testStatusComesFromTheFirstLineOnly() throws {
    let headers = try parse("NATS/1.0\r\nStatus: 503\r\nDescription: No Responders\r\n\r\n")
    XCTAssertNil(headers.status)
    XCTAssertEqual(headers["Status"], "503")
  }

  func testValuesWithColonsAndWhitespaceTrimming() throws {
    let headers = try parse(
      "NATS/1.0\r\nUrl: http://host:8080/p?q=a:b\r\nPadded: \t  spaced value \t \r\nEmpty:\r\nNoSpace:x\r\n\r\n"
    )
    XCTAssertEqual(headers["Url"], "http://host:8080/p?q=a:b")
    XCTAssertEqual(headers["Padded"], "spaced value")
    XCTAssertEqual(headers["Empty"], "")
    XCTAssertEqual(headers["NoSpace"], "x")
  }

  func testStatusEncodingAndRoundTrip() throws {
    var headers = NATSHeaders(status: 408, description: "Request Timeout")
    headers.append("Nats-Pending-Messages", "1")
    let wire = encoded(headers)
    XCTAssertEqual(wire, "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 1\r\n\r\n")
    XCTAssertEqual(headers.encodedLength, wire.utf8.count)
    XCTAssertEqual(try parse(wire), headers)
    XCTAssertEqual(encoded(NATSHeaders(status: 503)), "NATS/1.0 503\r\n\r\n")
  }

  func testEncodedLengthMatchesWrittenBytes() {
    let samples: [NATSHeaders] = [
      NATSHeaders(),
      ["a": "b"],
      NATSHeaders([("ünïcødé", "välue ✓"), ("k", "")]),
      NATSHeaders(status: 100, description: "Idle Heartbeat"),
      NATSHeaders(status: 7, description: ""),
      NATSHeaders([("", "skipped"), ("kept", "v")]),
      NATSHeaders([("Bad Name:\r\n", "bad\r\nvalue")]),
    ]
    for headers in samples {
      var buffer = ByteBuffer()
      headers.write(to: &buffer)
      XCTAssertEqual(buffer.readableBytes, headers.encodedLength, "\(headers.pairs)")
    }
  }

  func testLineBreaksCannotInjectHeaderLines() throws {
    let headers = NATSHeaders([("Evil\r\nName: x", "v1\r\nInjected: yes"), ("Normal", "ok")])
    var buffer = ByteBuffer()
    headers.write(to: &buffer)
    let parsed = try NATSHeaders.parse(buffer)
    XCTAssertEqual(parsed.count, 2)
    XCTAssertEqual(parsed.pairs.map(\.name), ["Evil--Name--x", "Normal"])
    XCTAssertEqual(parsed["Evil--Name--x"], "v1  Injected: yes")
    XCTAssertNil(parsed["Injected"])
  }

  func testEmptyNamesAreSkippedWhenWriting() throws {
    let headers = NATSHeaders([("", "x"), ("k", "v")])
    XCTAssertEqual(encoded(headers), "NATS/1.0\r\nk: v\r\n\r\n")
  }

  func testMalformedBlocksThrow() {
    let cases = [
      "",
      "NATS/1.0",
      "NATS/1.0\r\n",
      "NATS/\r\n\r\n",
      "NATS\r\n\r\n",
      "nats/1.0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\n",
      "NATS/1.0 5030\r\n\r\n",
      "NATS/1.0 50\r\n\r\n",
      "NATS/1.0 OK\r\n\r\n",
      "NATS/1.0\r\nNoColon\r\n\r\n",
      "NATS/1.0\r\n: value\r\n\r\n",
      "NATS/1.0\r\nK: v\r\n",
      "NATS/1.0\r\nK: v\n\r\n",
      "NATS/1.0\r\nK: v\rX\r\n\r\n",
      "NATS/1.0\r\n\r\nTrailing",
      "NATS/1.0\r\n\r\n\r\n",
    ]
    for block in cases {
      XCTAssertThrowsError(try parse(block), block.debugDescription) { error in
        XCTAssertEqual((error as? NATSProtocolError)?.code, .malformedHeaders, block.debugDescription)
      }
    }
  }

  func testParseReadsOnlyTheReadableBytesOfASlice() throws {
    var buffer = ByteBuffer(string: "junkNATS/1.0\r\nK: v\r\n\r\n")
    buffer.moveReaderIndex(forwardBy: 4)
    XCTAssertEqual(try NATSHeaders.parse(buffer)["K"], "v")
  }

  func testInvalidUTF8BecomesReplacementCharacters() throws {
    var buffer = ByteBuffer(string: "NATS/1.0\r\nK: ")
    buffer.writeBytes([0xFF, 0xFE])
    buffer.writeString("\r\n\r\n")
    XCTAssertEqual(try NATSHeaders.parse(buffer)["K"], "\u{FFFD}\u{FFFD}")
  }

  func testHashableAndEquatable() {
    let a: NATSHeaders = ["x": "1", "y": "2"]
    let b = NATSHeaders([("x", "1"), ("y", "2")])
    let reordered = NATSHeaders([("y", "2"), ("x", "1")])
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, reordered, "order is significant")
    XCTAssertEqual(Set([a, b]).count, 1)
    var withStatus = a
    withStatus.status = 503
    XCTAssertNotEqual(a, withStatus)
  }
}
