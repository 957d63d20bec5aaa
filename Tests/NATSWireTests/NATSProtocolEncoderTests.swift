import Foundation
import NATSWire
import NIOCore
import XCTest

final class NATSProtocolEncoderTests: XCTestCase {
  private func written(_ write: (inout ByteBuffer) throws -> Void) rethrows -> String {
    var buffer = ByteBuffer()
    try write(&buffer)
    return String(buffer: buffer)
  }

  func testConnectExactBytesWithNilsOmitted() throws {
    let request = NATSConnectRequest(name: "charge-capture", lang: "swift", version: "1.2.3")
    let wire = try written { try NATSProtocolEncoder.writeConnect(request, into: &$0) }
    XCTAssertEqual(
      wire,
      #"CONNECT {"echo":true,"headers":true,"lang":"swift","name":"charge-capture","no_responders":true,"#
        + #""pedantic":false,"protocol":1,"tls_required":false,"verbose":false,"version":"1.2.3"}"# + "\r\n")
  }

  func testConnectJSONParsesBackWithAllFields() throws {
    let request = NATSConnectRequest(
      verbose: true, pedantic: true, tlsRequired: true, name: nil, lang: "swift", version: "0.1.0",
      protocol: 1, headers: true, noResponders: false, echo: false, user: "u", pass: "p/w\"x",
      authToken: "tok", jwt: "eyJ", nkey: "UABC", sig: "c2ln")
    let wire = try written { try NATSProtocolEncoder.writeConnect(request, into: &$0) }
    XCTAssertTrue(wire.hasPrefix("CONNECT {"))
    XCTAssertTrue(wire.hasSuffix("}\r\n"))
    XCTAssertEqual(wire.filter { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }.count, 1, "one line only")
    let json = Data(Array(wire.utf8).dropFirst(8).dropLast(2))
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
    XCTAssertEqual(object["verbose"] as? Bool, true)
    XCTAssertEqual(object["pedantic"] as? Bool, true)
    XCTAssertEqual(object["tls_required"] as? Bool, true)
    XCTAssertNil(object["name"], "nil optionals are omitted")
    XCTAssertEqual(object["protocol"] as? Int, 1)
    XCTAssertEqual(object["no_responders"] as? Bool, false)
    XCTAssertEqual(object["echo"] as? Bool, false)
    XCTAssertEqual(object["user"] as? String, "u")
    XCTAssertEqual(object["pass"] as? String, "p/w\"x")
    XCTAssertEqual(object["auth_token"] as? String, "tok")
    XCTAssertEqual(object["jwt"] as? String, "eyJ")
    XCTAssertEqual(object["nkey"] as? String, "UABC")
    XCTAssertEqual(object["sig"] as? String, "c2ln")
    XCTAssertEqual(object.count, 15, "16 fields minus the omitted name")
  }

  func testConnectDescriptionRedactsSecrets() {
    let request = NATSConnectRequest(
      user: "alice", pass: "hunter2", authToken: "s3cret", jwt: "eyJhbGc", sig: "SIG")
    let text = request.description
    XCTAssertFalse(text.contains("hunter2"))
    XCTAssertFalse(text.contains("s3cret"))
    XCTAssertFalse(text.contains("eyJhbGc"))
    XCTAssertFalse(text.contains("SIG"))
    XCTAssertTrue(text.contains("alice"))
  }

  func testPublishExactBytes() {
    XCTAssertEqual(
      written {
        NATSProtocolEncoder.writePublish(
          subject: "orders.created", replyTo: nil, headers: nil, payload: ByteBuffer(string: "hello"),
          into: &$0)
      }, "PUB orders.created 5\r\nhello\r\n")
    XCTAssertEqual(
      written {
        NATSProtocolEncoder.writePublish(
          subject: "svc.req", replyTo: "_INBOX.abc.7", headers: nil, payload: ByteBuffer(string: "ping"),
          into: &$0)
      }, "PUB svc.req _INBOX.abc.7 4\r\nping\r\n")
    XCTAssertEqual(
      written {
        NATSProtocolEncoder.writePublish(
          subject: "a", replyTo: "", headers: NATSHeaders(), payload: ByteBuffer(), into: &$0)
      }, "PUB a 0\r\n\r\n", "an empty reply and empty headers give a plain PUB")
  }

  func testPlainPublishMatchesTheGeneralPathAcrossSizes() {
    for size in [0, 1, 9, 10, 128, 65_536] {
      let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
      var plain = ByteBuffer()
      payload.withUnsafeBytes {
        NATSProtocolEncoder.writePlainPublish(subject: "ünï.x", payload: $0, into: &plain)
      }
      var general = ByteBuffer()
      NATSProtocolEncoder.writePublish(
        subject: "ünï.x", replyTo: nil, headers: nil, payload: payload, into: &general)
      XCTAssertEqual(plain, general, "size \(size)")
    }
    XCTAssertEqual(
      written { buffer in
        Array("hi".utf8).withUnsafeBytes {
          NATSProtocolEncoder.writePlainPublish(subject: "a.b", payload: $0, into: &buffer)
        }
      }, "PUB a.b 2\r\nhi\r\n")
  }

  func testPublishWithByteCollectionMatchesByteBufferPath() {
    let payload = Array((0..<300).map { UInt8(truncatingIfNeeded: $0) })
    var fromBuffer = ByteBuffer()
    NATSProtocolEncoder.writePublish(
      subject: "bin", replyTo: "r", headers: nil, payload: ByteBuffer(bytes: payload), into: &fromBuffer)
    var fromArray = ByteBuffer()
    NATSProtocolEncoder.writePublish(
      subject: "bin", replyTo: "r", headers: nil, payload: payload, into: &fromArray)
    XCTAssertEqual(fromArray, fromBuffer)
    XCTAssertEqual(fromArray.readableBytes, "PUB bin r 300\r\n".utf8.count + 300 + 2)

    var fromSlice = ByteBuffer()
    NATSProtocolEncoder.writePublish(
      subject: "bin", replyTo: "r", headers: nil, payload: payload[0..<300], into: &fromSlice)
    XCTAssertEqual(fromSlice, fromBuffer)
  }

  func testPublishWithANonContiguousCollectionMatchesTheContiguousPath() {
    let payload = repeatElement(UInt8(ascii: "z"), count: 12)
    let headers: NATSHeaders = ["K": "v"]
    for (reply, header) in [(nil, nil), ("_INBOX.r", nil), (nil, headers), ("_INBOX.r", headers)]
      as [(
        String?, NATSHeaders?
      )]
    {
      var fromCollection = ByteBuffer()
      NATSProtocolEncoder.writePublish(
        subject: "s.t", replyTo: reply, headers: header, payload: payload, into: &fromCollection)
      var fromArray = ByteBuffer()
      NATSProtocolEncoder.writePublish(
        subject: "s.t", replyTo: reply, headers: header, payload: Array(payload), into: &fromArray)
      XCTAssertEqual(fromCollection, fromArray, "reply \(reply ?? "-"), headers \(header != nil)")
    }
  }

  func testPublishLineLengthsAcrossDigitBoundariesAndUnicodeSubjects() {
    for size in [0, 9, 10, 99, 100, 1000, 65_536] {
      let payload = [UInt8](repeating: 7, count: size)
      var buffer = ByteBuffer()
      NATSProtocolEncoder.writePublish(
        subject: "ünï.cødé", replyTo: "r.é", headers: nil, payload: payload, into: &buffer)
      let line = "PUB ünï.cødé r.é \(size)\r\n"
      XCTAssertEqual(buffer.readableBytes, line.utf8.count + size + 2)
      XCTAssertEqual(buffer.readString(length: line.utf8.count), line)
      XCTAssertEqual(buffer.readBytes(length: size), payload)
      XCTAssertEqual(buffer.readString(length: 2), "\r\n")
    }
  }

  func testHeaderPublishWithReplyAndByteBufferPayload() {
    let headers: NATSHeaders = ["Nats-Msg-Id": "abc"]
    let wire = written {
      NATSProtocolEncoder.writePublish(
        subject: "orders", replyTo: "_INBOX.x", headers: headers, payload: ByteBuffer(string: "hi"), into: &$0
      )
    }
    XCTAssertEqual(wire, "HPUB orders _INBOX.x 30 32\r\nNATS/1.0\r\nNats-Msg-Id: abc\r\n\r\nhi\r\n")
  }

  func testPublishKeepsByteBufferPayloadUntouched() {
    var payload = ByteBuffer(string: "xxabc")
    payload.moveReaderIndex(forwardBy: 2)
    let wire = written {
      NATSProtocolEncoder.writePublish(subject: "s", replyTo: nil, headers: nil, payload: payload, into: &$0)
    }
    XCTAssertEqual(wire, "PUB s 3\r\nabc\r\n")
    XCTAssertEqual(payload.readableBytes, 3)
  }

  func testHeaderPublishExactBytes() {
    let headers: NATSHeaders = ["Nats-Msg-Id": "abc"]
    XCTAssertEqual(headers.encodedLength, 30)
    XCTAssertEqual(
      written {
        NATSProtocolEncoder.writePublish(
          subject: "foo", replyTo: nil, headers: headers, payload: ByteBuffer(string: "hi"), into: &$0)
      }, "HPUB foo 30 32\r\nNATS/1.0\r\nNats-Msg-Id: abc\r\n\r\nhi\r\n")
    XCTAssertEqual(
      written {
        NATSProtocolEncoder.writePublish(
          subject: "foo", replyTo: "_INBOX.1", headers: headers, payload: Array("hi".utf8), into: &$0)
      }, "HPUB foo _INBOX.1 30 32\r\nNATS/1.0\r\nNats-Msg-Id: abc\r\n\r\nhi\r\n")
  }

  func testHeaderPublishRoundTripsThroughTheDecoderAsHMSG() throws {
    var headers = NATSHeaders()
    headers.append("ce-specversion", "1.0")
    headers.append("ce-id", "8f2e")
    headers.append("Nats-Msg-Id", "8f2e")
    headers.append("X-Multi", "one")
    headers.append("X-Multi", "two: with colon")
    headers.append("ce-source", "encoreos/cl")
    let payload = #"{"event":"progress_note_signed","payload":{"id":"ü"}}"#
    var buffer = ByteBuffer()
    NATSProtocolEncoder.writePublish(
      subject: "cl_events.progress_note_signed", replyTo: "_INBOX.z", headers: headers,
      payload: ByteBuffer(string: payload), into: &buffer)
    let wire = String(buffer: buffer)
    XCTAssertTrue(wire.hasPrefix("HPUB cl_events.progress_note_signed _INBOX.z "))

    let asServerFrame = wire.replacingOccurrences(
      of: "HPUB cl_events.progress_note_signed ", with: "HMSG cl_events.progress_note_signed 17 ")
    let decoded = try decodeChunks([Array(asServerFrame.utf8)])
    XCTAssertEqual(decoded.leftover, 0)
    guard case .msg(let message) = decoded.ops.first else { return XCTFail("expected HMSG") }
    XCTAssertEqual(message.subject, "cl_events.progress_note_signed")
    XCTAssertEqual(message.sid, 17)
    XCTAssertEqual(message.replyTo, "_INBOX.z")
    XCTAssertEqual(message.headers, headers)
    XCTAssertEqual(message.headers?.values(for: "X-Multi"), ["one", "two: with colon"])
    XCTAssertEqual(String(buffer: message.payload), payload)
    XCTAssertEqual(message.wireSize, headers.encodedLength + payload.utf8.count)
  }

  /// The HPUB frame writes its header block in the same buffer access as the line and payload;
  /// the block is byte for byte the one `NATSHeaders.write(to:)` writes, replacements included.
  func testHeaderPublishFrameCarriesTheSameBlockAsWriteTo() {
    var tricky = NATSHeaders(status: 408, description: "Request\r\nTimeout")
    tricky.append("Bad Name:\r\n", "value\r\nInjected: yes")
    tricky.append("", "skipped")
    tricky.append("Ünïcode", "välue ✓")
    let cases: [NATSHeaders] = [["Nats-Msg-Id": "abc"], NATSHeaders(status: 100), tricky]
    for headers in cases {
      for payload in [[UInt8](), Array("hi".utf8), [UInt8](repeating: 9, count: 5_000)] {
        var block = ByteBuffer()
        headers.write(to: &block)
        XCTAssertEqual(block.readableBytes, headers.encodedLength)
        var expected = ByteBuffer(
          string: "HPUB s.t _INBOX.r \(block.readableBytes) \(block.readableBytes + payload.count)\r\n")
        expected.writeBuffer(&block)
        expected.writeBytes(payload)
        expected.writeString("\r\n")
        var frame = ByteBuffer()
        NATSProtocolEncoder.writePublish(
          subject: "s.t", replyTo: "_INBOX.r", headers: headers, payload: payload, into: &frame)
        XCTAssertEqual(frame, expected, "\(headers.pairs), \(payload.count) bytes")
      }
    }
  }

  func testHeaderPublishWithStatusOnly() throws {
    let headers = NATSHeaders(status: 503)
    XCTAssertFalse(headers.isEmpty)
    let wire = written {
      NATSProtocolEncoder.writePublish(
        subject: "a", replyTo: nil, headers: headers, payload: [UInt8](), into: &$0)
    }
    XCTAssertEqual(wire, "HPUB a 16 16\r\nNATS/1.0 503\r\n\r\n\r\n")
  }

  func testSubscribe() {
    XCTAssertEqual(
      written { NATSProtocolEncoder.writeSubscribe(subject: "orders.>", queue: nil, sid: 1, into: &$0) },
      "SUB orders.> 1\r\n")
    XCTAssertEqual(
      written {
        NATSProtocolEncoder.writeSubscribe(subject: "orders.*", queue: "workers", sid: 42, into: &$0)
      },
      "SUB orders.* workers 42\r\n")
    XCTAssertEqual(
      written { NATSProtocolEncoder.writeSubscribe(subject: "a", queue: "", sid: UInt64.max, into: &$0) },
      "SUB a 18446744073709551615\r\n")
  }

  func testUnsubscribe() {
    XCTAssertEqual(
      written { NATSProtocolEncoder.writeUnsubscribe(sid: 1, max: nil, into: &$0) }, "UNSUB 1\r\n")
    XCTAssertEqual(
      written { NATSProtocolEncoder.writeUnsubscribe(sid: 7, max: 10, into: &$0) }, "UNSUB 7 10\r\n")
    XCTAssertEqual(written { NATSProtocolEncoder.writeUnsubscribe(sid: 0, max: 0, into: &$0) }, "UNSUB 0\r\n")
    XCTAssertEqual(
      written { NATSProtocolEncoder.writeUnsubscribe(sid: 3, max: -4, into: &$0) }, "UNSUB 3\r\n")
  }

  func testPingPong() {
    XCTAssertEqual(written { NATSProtocolEncoder.writePing(into: &$0) }, "PING\r\n")
    XCTAssertEqual(written { NATSProtocolEncoder.writePong(into: &$0) }, "PONG\r\n")
  }

  func testDecimalLengthsAcrossDigitBoundaries() {
    for length in [0, 1, 9, 10, 99, 100, 999, 1000, 65_535, 1_048_576] {
      let payload = [UInt8](repeating: 0x61, count: length)
      var buffer = ByteBuffer()
      NATSProtocolEncoder.writePublish(
        subject: "s", replyTo: nil, headers: nil, payload: payload, into: &buffer)
      let expectedPrefix = "PUB s \(length)\r\n"
      XCTAssertEqual(buffer.getString(at: 0, length: expectedPrefix.utf8.count), expectedPrefix)
      XCTAssertEqual(buffer.readableBytes, expectedPrefix.utf8.count + length + 2)
    }
  }

  func testSeveralOperationsAppendToTheSameBuffer() {
    var buffer = ByteBuffer()
    NATSProtocolEncoder.writeSubscribe(subject: "a", queue: nil, sid: 1, into: &buffer)
    NATSProtocolEncoder.writePublish(
      subject: "a", replyTo: nil, headers: nil, payload: Array("x".utf8), into: &buffer)
    NATSProtocolEncoder.writePing(into: &buffer)
    XCTAssertEqual(String(buffer: buffer), "SUB a 1\r\nPUB a 1\r\nx\r\nPING\r\n")
  }
}
