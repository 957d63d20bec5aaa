import NATSWire
import NIOCore
import NIOTestUtils
import XCTest

/// One server frame and the value it must decode to.
struct FrameFixture {
  var name: String
  var wire: String
  var expected: NATSServerOp

  var bytes: [UInt8] { Array(wire.utf8) }
}

/// The frames every split test runs over.
enum Fixtures {
  static let infoJSON =
    #"{"server_id":"NCXYZ","server_name":"n1","version":"2.15.1","go":"go1.24","proto":1,"#
    + #""host":"0.0.0.0","port":4222,"headers":true,"max_payload":1048576,"auth_required":true,"#
    + #""tls_required":false,"tls_available":true,"nonce":"abc-123","jetstream":true,"client_id":42,"#
    + #""client_ip":"127.0.0.1","cluster":"c1","domain":"hub","ldm":false,"#
    + #""connect_urls":["10.0.0.1:4222","10.0.0.2:4222"],"unknown_future_key":{"x":[1,2]}}"#

  static let info = NATSServerInfo(
    serverId: "NCXYZ", serverName: "n1", version: "2.15.1", goVersion: "go1.24", proto: 1,
    host: "0.0.0.0", port: 4222, headers: true, maxPayload: 1_048_576, authRequired: true,
    tlsRequired: false, tlsAvailable: true, nonce: "abc-123",
    connectURLs: ["10.0.0.1:4222", "10.0.0.2:4222"], lameDuckMode: false, jetstream: true,
    clientId: 42, clientIP: "127.0.0.1", cluster: "c1", domain: "hub")

  static func payload(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

  static func message(
    _ subject: String, _ sid: UInt64, reply: String? = nil, headers: NATSHeaders? = nil,
    payload: String, wireSize: Int
  ) -> NATSServerOp {
    .msg(
      NATSInboundMessage(
        subject: subject, sid: sid, replyTo: reply, headers: headers, payload: ByteBuffer(string: payload),
        wireSize: wireSize))
  }

  static func statusHeaders(_ status: Int, _ description: String?, _ pairs: [(String, String)] = [])
    -> NATSHeaders
  {
    var headers = NATSHeaders(pairs)
    headers.status = status
    headers.statusDescription = description
    return headers
  }

  static let all: [FrameFixture] = [
    FrameFixture(name: "INFO", wire: "INFO \(infoJSON)\r\n", expected: .info(info)),
    FrameFixture(
      name: "MSG", wire: "MSG orders.created 9 11\r\nhello world\r\n",
      expected: message("orders.created", 9, payload: "hello world", wireSize: 11)),
    FrameFixture(
      name: "MSG with reply", wire: "MSG orders.created 9 _INBOX.abc.1 5\r\nhello\r\n",
      expected: message("orders.created", 9, reply: "_INBOX.abc.1", payload: "hello", wireSize: 5)),
    FrameFixture(
      name: "MSG empty payload", wire: "MSG a 1 0\r\n\r\n",
      expected: message("a", 1, payload: "", wireSize: 0)),
    FrameFixture(
      name: "MSG payload with CRLF inside", wire: "MSG a 1 6\r\n\r\nab\r\n\r\n",
      expected: message("a", 1, payload: "\r\nab\r\n", wireSize: 6)),
    FrameFixture(
      name: "MSG lower case, tabs and repeated spaces",
      wire: "msg\ta.b  18446744073709551615 \t r  2\r\nhi\r\n",
      expected: message("a.b", UInt64.max, reply: "r", payload: "hi", wireSize: 2)),
    FrameFixture(
      name: "HMSG with headers",
      wire: hmsgFrame(
        subject: "cl_events.progress_note_signed", sid: 3, reply: "$JS.ACK.CL.c.1.2.3.4.5",
        headerBlock: "NATS/1.0\r\nce-specversion: 1.0\r\nNats-Msg-Id: ev-1\r\nce-id: ev-1\r\n"
          + "X-Url:  http://h:80/p  \r\nx-dup: a\r\nx-dup: b\r\n\r\n",
        payload: #"{"a":1}"#),
      expected: message(
        "cl_events.progress_note_signed", 3, reply: "$JS.ACK.CL.c.1.2.3.4.5",
        headers: NATSHeaders([
          ("ce-specversion", "1.0"), ("Nats-Msg-Id", "ev-1"), ("ce-id", "ev-1"), ("X-Url", "http://h:80/p"),
          ("x-dup", "a"), ("x-dup", "b"),
        ]), payload: #"{"a":1}"#, wireSize: 117)),
    FrameFixture(
      name: "HMSG 503 no responders",
      wire: hmsgFrame(subject: "_INBOX.r.1", sid: 2, headerBlock: "NATS/1.0 503\r\n\r\n", payload: ""),
      expected: message("_INBOX.r.1", 2, headers: statusHeaders(503, nil), payload: "", wireSize: 16)),
    FrameFixture(
      name: "HMSG 404 no messages",
      wire: hmsgFrame(
        subject: "_INBOX.p.1", sid: 5, headerBlock: "NATS/1.0 404 No Messages\r\n\r\n", payload: ""),
      expected: message(
        "_INBOX.p.1", 5, headers: statusHeaders(404, "No Messages"), payload: "", wireSize: 28)),
    FrameFixture(
      name: "HMSG 408 request timeout with pending",
      wire: hmsgFrame(
        subject: "_INBOX.p.1", sid: 5,
        headerBlock:
          "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 10\r\nNats-Pending-Bytes: 2048\r\n\r\n",
        payload: ""),
      expected: message(
        "_INBOX.p.1", 5,
        headers: statusHeaders(
          408, "Request Timeout", [("Nats-Pending-Messages", "10"), ("Nats-Pending-Bytes", "2048")]),
        payload: "", wireSize: 85)),
    FrameFixture(
      name: "HMSG 409 with pending",
      wire: hmsgFrame(
        subject: "_INBOX.p.1", sid: 5,
        headerBlock:
          "NATS/1.0 409 Message Size Exceeds MaxBytes\r\nNats-Pending-Messages: 1\r\nNats-Pending-Bytes: 0\r\n\r\n",
        payload: ""),
      expected: message(
        "_INBOX.p.1", 5,
        headers: statusHeaders(
          409, "Message Size Exceeds MaxBytes", [("Nats-Pending-Messages", "1"), ("Nats-Pending-Bytes", "0")]),
        payload: "", wireSize: 95)),
    FrameFixture(
      name: "HMSG 100 idle heartbeat",
      wire: hmsgFrame(
        subject: "_INBOX.p.1", sid: 5,
        headerBlock: "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 7\r\nNats-Last-Stream: 12\r\n\r\n",
        payload: ""),
      expected: message(
        "_INBOX.p.1", 5,
        headers: statusHeaders(
          100, "Idle Heartbeat", [("Nats-Last-Consumer", "7"), ("Nats-Last-Stream", "12")]),
        payload: "", wireSize: 76)),
    FrameFixture(
      name: "HMSG status only, no headers",
      wire: hmsgFrame(subject: "hb", sid: 1, headerBlock: "NATS/1.0 100 Idle Heartbeat\r\n\r\n", payload: ""),
      expected: message("hb", 1, headers: statusHeaders(100, "Idle Heartbeat"), payload: "", wireSize: 31)),
    FrameFixture(name: "PING", wire: "PING\r\n", expected: .ping),
    FrameFixture(name: "PONG", wire: "PONG\r\n", expected: .pong),
    FrameFixture(name: "+OK", wire: "+OK\r\n", expected: .ok),
    FrameFixture(
      name: "-ERR", wire: "-ERR 'Authorization Violation'\r\n", expected: .err("Authorization Violation")),
    FrameFixture(
      name: "-ERR unquoted", wire: "-err  Stale Connection \r\n", expected: .err("Stale Connection")),
    FrameFixture(name: "ping lower case", wire: "ping\r\n", expected: .ping),
    FrameFixture(name: "pOnG mixed case", wire: "pOnG\r\n", expected: .pong),
    FrameFixture(name: "+oK mixed case", wire: "+oK\r\n", expected: .ok),
    FrameFixture(
      name: "mSg mixed case", wire: "mSg a 1 2\r\nhi\r\n",
      expected: message("a", 1, payload: "hi", wireSize: 2)),
  ]
}

final class NATSProtocolDecoderSplitTests: XCTestCase {
  func testEachFixtureDecodesWholeToItsExpectedValue() throws {
    for fixture in Fixtures.all {
      let result = try decodeChunks([fixture.bytes])
      XCTAssertEqual(result.ops, [fixture.expected], fixture.name)
      XCTAssertEqual(result.leftover, 0, fixture.name)
    }
  }

  func testEveryTwoWaySplitGivesIdenticalOutput() throws {
    for fixture in Fixtures.all {
      let bytes = fixture.bytes
      for cut in 0...bytes.count {
        let result = try decodeChunks([Array(bytes[..<cut]), Array(bytes[cut...])])
        XCTAssertEqual(result.ops, [fixture.expected], "\(fixture.name) cut at \(cut)")
        XCTAssertEqual(result.leftover, 0, "\(fixture.name) cut at \(cut)")
      }
    }
  }

  func testByteByByteGivesIdenticalOutput() throws {
    for fixture in Fixtures.all {
      let chunks = fixture.bytes.map { [$0] }
      let result = try decodeChunks(chunks)
      XCTAssertEqual(result.ops, [fixture.expected], fixture.name)
      XCTAssertEqual(result.leftover, 0, fixture.name)
      XCTAssertEqual(try processChunks(chunks), [fixture.expected], fixture.name)
    }
  }

  func testAllFramesConcatenatedSplitAtEveryPosition() throws {
    let stream = Fixtures.all.flatMap(\.bytes)
    let expected = Fixtures.all.map(\.expected)
    XCTAssertEqual(try decodeChunks([stream]).ops, expected)
    for cut in 0...stream.count {
      let result = try decodeChunks([Array(stream[..<cut]), Array(stream[cut...])])
      XCTAssertEqual(result.ops, expected, "cut at \(cut)")
      XCTAssertEqual(result.leftover, 0, "cut at \(cut)")
    }
  }

  func testThreeWaySplitsOfHeaderMessage() throws {
    guard let fixture = Fixtures.all.first(where: { $0.name == "HMSG 408 request timeout with pending" })
    else {
      return XCTFail("fixture missing")
    }
    let bytes = fixture.bytes
    for first in 0...bytes.count {
      for second in first...bytes.count {
        let chunks = [Array(bytes[..<first]), Array(bytes[first..<second]), Array(bytes[second...])]
        XCTAssertEqual(try decodeChunks(chunks).ops, [fixture.expected], "cuts \(first), \(second)")
      }
    }
  }

  func testByteToMessageDecoderVerifier() throws {
    let pairs = Fixtures.all.map { (ByteBuffer(bytes: $0.bytes), [$0.expected]) }
    XCTAssertNoThrow(
      try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { NATSProtocolDecoder() })
  }

  func testByteToMessageDecoderVerifierWithSeveralFramesPerInput() throws {
    let input = "PING\r\n" + msgFrame(subject: "a", sid: 1, payload: "xy") + "+OK\r\n"
    let expected: [NATSServerOp] = [.ping, Fixtures.message("a", 1, payload: "xy", wireSize: 2), .ok]
    XCTAssertNoThrow(
      try ByteToMessageDecoderVerifier.verifyDecoder(stringInputOutputPairs: [(input, expected)]) {
        NATSProtocolDecoder()
      })
  }
}
