import NATSWire
import NIOCore
import XCTest

final class NATSProtocolDecoderTests: XCTestCase {
  func testCRLFSplitAcrossReads() throws {
    let first = try decodeChunks([Array("PING\r".utf8)])
    XCTAssertEqual(first.ops, [])
    XCTAssertEqual(first.leftover, 5)
    XCTAssertEqual(try decodeChunks([Array("PING\r".utf8), Array("\n".utf8)]).ops, [.ping])

    let message = Array(msgFrame(subject: "a", sid: 1, payload: "xyz").utf8)
    // Split between the payload's trailing \r and \n.
    let cut = message.count - 1
    let partial = try decodeChunks([Array(message[..<cut])])
    XCTAssertEqual(partial.ops, [])
    XCTAssertEqual(partial.leftover, cut, "nothing is consumed before the frame is complete")
    XCTAssertEqual(
      try decodeChunks([Array(message[..<cut]), Array(message[cut...])]).ops,
      [Fixtures.message("a", 1, payload: "xyz", wireSize: 3)])
  }

  func testSeveralFramesInOneRead() throws {
    let wire =
      "PING\r\n" + msgFrame(subject: "s.1", sid: 4, payload: "one") + "PONG\r\n"
      + hmsgFrame(subject: "s.2", sid: 4, headerBlock: "NATS/1.0\r\nK: v\r\n\r\n", payload: "two") + "+OK\r\n"
    let result = try decodeChunks([Array(wire.utf8)])
    XCTAssertEqual(
      result.ops,
      [
        .ping, Fixtures.message("s.1", 4, payload: "one", wireSize: 3), .pong,
        Fixtures.message("s.2", 4, headers: ["K": "v"], payload: "two", wireSize: 21), .ok,
      ])
    XCTAssertEqual(result.leftover, 0)
  }

  func testFrameFollowedByPartialFrame() throws {
    let complete = Array(msgFrame(subject: "a", sid: 1, payload: "hello").utf8)
    let next = Array(msgFrame(subject: "b", sid: 2, payload: "world").utf8)
    for partialLength in 1..<next.count {
      let partialNext = Array(next[..<partialLength])
      let result = try decodeChunks([complete + partialNext])
      XCTAssertEqual(result.ops, [Fixtures.message("a", 1, payload: "hello", wireSize: 5)])
      XCTAssertEqual(result.leftover, partialLength, "the partial frame stays buffered")

      let finished = try decodeChunks([complete + partialNext, Array(next[partialLength...])])
      XCTAssertEqual(
        finished.ops,
        [
          Fixtures.message("a", 1, payload: "hello", wireSize: 5),
          Fixtures.message("b", 2, payload: "world", wireSize: 5),
        ])
      XCTAssertEqual(finished.leftover, 0)
    }
  }

  func testPayloadIsASliceOfTheReceiveBuffer() throws {
    var decoder = NATSProtocolDecoder()
    var buffer = ByteBuffer(string: msgFrame(subject: "a", sid: 1, payload: "0123456789"))
    guard case .msg(let message) = try decoder.decode(buffer: &buffer) else {
      return XCTFail("expected a message")
    }
    XCTAssertEqual(message.payload.readableBytes, 10)
    XCTAssertEqual(message.payload.getString(at: message.payload.readerIndex, length: 10), "0123456789")
    XCTAssertEqual(message.payload.capacity, 10, "a slice is sized to the payload, sharing storage")
    XCTAssertEqual(buffer.readableBytes, 0)
  }

  func testHeaderMessageSeparatesHeadersFromPayload() throws {
    let block = "NATS/1.0\r\nNats-Msg-Id: m-1\r\nce-type: encoreos.cl.progress_note_signed\r\n\r\n"
    let wire = hmsgFrame(
      subject: "cl_events.x", sid: 11, reply: "_INBOX.q", headerBlock: block, payload: "body")
    let result = try decodeChunks([Array(wire.utf8)])
    guard case .msg(let message) = result.ops.first else { return XCTFail("expected a message") }
    XCTAssertEqual(message.subject, "cl_events.x")
    XCTAssertEqual(message.sid, 11)
    XCTAssertEqual(message.replyTo, "_INBOX.q")
    XCTAssertEqual(message.headers?["Nats-Msg-Id"], "m-1")
    XCTAssertEqual(message.headers?["ce-type"], "encoreos.cl.progress_note_signed")
    XCTAssertNil(message.headers?.status)
    XCTAssertEqual(String(buffer: message.payload), "body")
    XCTAssertEqual(message.wireSize, block.utf8.count + 4)
  }

  func testHeaderMessageWithEmptyPayloadAndReplyButNoHeaderLines() throws {
    let wire = "HMSG a 1 r 12 12\r\nNATS/1.0\r\n\r\n\r\n"
    let result = try decodeChunks([Array(wire.utf8)])
    XCTAssertEqual(
      result.ops, [Fixtures.message("a", 1, reply: "r", headers: NATSHeaders(), payload: "", wireSize: 12)])
  }

  func testInfoDecodesSnakeCaseFieldsAndIgnoresUnknownKeys() throws {
    let result = try decodeChunks([Array("INFO \(Fixtures.infoJSON)\r\n".utf8)])
    guard case .info(let info) = result.ops.first else { return XCTFail("expected INFO") }
    XCTAssertEqual(info.serverId, "NCXYZ")
    XCTAssertEqual(info.maxPayload, 1_048_576)
    XCTAssertEqual(info.effectiveMaxPayload, 1_048_576)
    XCTAssertEqual(info.connectURLs, ["10.0.0.1:4222", "10.0.0.2:4222"])
    XCTAssertEqual(info.clientId, 42)
    XCTAssertEqual(info.clientIP, "127.0.0.1")
    XCTAssertEqual(info.lameDuckMode, false)
    XCTAssertTrue(info.supportsHeaders)
    XCTAssertTrue(info.supportsJetStream)
    XCTAssertTrue(info.requiresAuth)
    XCTAssertFalse(info.requiresTLS)
  }

  func testMinimalInfoUsesDefaults() throws {
    let result = try decodeChunks([Array("INFO\t{}\r\n".utf8)])
    guard case .info(let info) = result.ops.first else { return XCTFail("expected INFO") }
    XCTAssertEqual(info, NATSServerInfo())
    XCTAssertEqual(info.effectiveMaxPayload, 1_048_576)
    XCTAssertFalse(info.supportsHeaders)
    XCTAssertFalse(info.isLameDuck)
    XCTAssertEqual(info.clusterURLs, [])
  }

  func testLameDuckInfo() throws {
    let result = try decodeChunks([Array(#"INFO {"ldm":true,"max_payload":0}"#.utf8) + [13, 10]])
    guard case .info(let info) = result.ops.first else { return XCTFail("expected INFO") }
    XCTAssertTrue(info.isLameDuck)
    XCTAssertEqual(info.effectiveMaxPayload, NATSServerInfo.defaultMaxPayload)
  }

  func testBareLineFeedEndsAControlLine() throws {
    XCTAssertEqual(try decodeChunks([Array("PING\nPONG\n".utf8)]).ops, [.ping, .pong])
  }

  func testControlLineOfExactlyTheMaximumIsAccepted() throws {
    let decoder = NATSProtocolDecoder(maxControlLineLength: 4)
    XCTAssertEqual(try decodeChunks([Array("PING\r\n".utf8)], decoder: decoder).ops, [.ping])
    let waiting = try decodeChunks([Array("PING\r".utf8)], decoder: decoder)
    XCTAssertEqual(waiting.ops, [])
    XCTAssertEqual(waiting.leftover, 5)
  }

  func testMessageOfExactlyMaxPayloadIsAccepted() throws {
    let decoder = NATSProtocolDecoder(maxPayload: 5)
    XCTAssertEqual(
      try decodeChunks([Array(msgFrame(subject: "a", sid: 1, payload: "12345").utf8)], decoder: decoder).ops,
      [Fixtures.message("a", 1, payload: "12345", wireSize: 5)])
  }

  func testLargePayloadArrivingInManyReads() throws {
    let payload = (0..<262_144).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let wire = Array("HMSG big.data 8 _INBOX.b 16 262160\r\nNATS/1.0 503\r\n\r\n".utf8) + payload + [13, 10]
    let chunks = stride(from: 0, to: wire.count, by: 4096).map {
      Array(wire[$0..<min($0 + 4096, wire.count)])
    }
    let result = try decodeChunks(chunks)
    XCTAssertEqual(result.leftover, 0)
    guard case .msg(let message) = result.ops.first, result.ops.count == 1 else {
      return XCTFail("expected one message")
    }
    XCTAssertEqual(message.subject, "big.data")
    XCTAssertEqual(message.replyTo, "_INBOX.b")
    XCTAssertEqual(message.headers?.status, 503)
    XCTAssertEqual(message.wireSize, 262_160)
    XCTAssertEqual(message.payload.getBytes(at: message.payload.readerIndex, length: 262_144), payload)
  }

  func testDecodeLastReturnsCompleteFramesAndLeavesPartialOnes() throws {
    var decoder = NATSProtocolDecoder()
    var buffer = ByteBuffer(string: "PONG\r\nMSG a 1 5\r\nhel")
    XCTAssertEqual(try decoder.decodeLast(buffer: &buffer, seenEOF: true), .pong)
    XCTAssertNil(try decoder.decodeLast(buffer: &buffer, seenEOF: true))
    XCTAssertEqual(buffer.readableBytes, 14)
  }

  /// Arguments are found eight bytes at a time: separators at every offset within a word, runs
  /// of mixed blanks, and bytes next to space and tab in value (0x08, 0x0A, 0x1F, 0x21, 0x29,
  /// 0xA0, 0x89) must split exactly where a byte-by-byte scan splits.
  func testArgumentsSplitExactlyAtEveryAlignmentAndSeparatorMix() throws {
    let lookalikes: [UInt8] = [0x08, 0x1F, 0x21, 0x29, 0xA0, 0x89, 0x61, 0x2E, 0x00, 0xFF]
    let separators: [[UInt8]] = [[0x20], [0x09], [0x20, 0x09], [0x09, 0x09, 0x20]]
    var generator = SystemRandomNumberGenerator()
    for prefixLength in 0..<17 {
      for separator in separators {
        let subject =
          (0..<prefixLength).map { _ in lookalikes.randomElement(using: &generator) ?? 0x61 } + [0x73]
        let reply = (0..<Int.random(in: 1...40, using: &generator)).map { _ in
          lookalikes.randomElement(using: &generator) ?? 0x61
        }
        var line = Array("MSG".utf8) + separator + subject + separator + Array("7".utf8) + separator
        line += reply + separator + Array("3".utf8) + Array("\r\nabc\r\n".utf8)
        let ops = try decodeChunks([line]).ops
        guard case .msg(let message)? = ops.first, ops.count == 1 else {
          XCTFail("one MSG expected for subject of \(subject.count) bytes")
          continue
        }
        XCTAssertEqual(Array(message.subject.utf8), Array(String(decoding: subject, as: UTF8.self).utf8))
        XCTAssertEqual(message.sid, 7)
        XCTAssertEqual(message.replyTo, String(decoding: reply, as: UTF8.self))
        XCTAssertEqual(String(buffer: message.payload), "abc")
      }
    }
  }
}
