import NATSWire
import NIOCore
import XCTest

final class NATSProtocolDecoderMalformedTests: XCTestCase {
  /// Decodes `wire` in one read and returns the protocol error, failing when there is none.
  private func error(
    _ wire: String, decoder: NATSProtocolDecoder = NATSProtocolDecoder(), file: StaticString = #filePath,
    line: UInt = #line
  ) -> NATSProtocolError? {
    error(Array(wire.utf8), decoder: decoder, file: file, line: line)
  }

  private func error(
    _ bytes: [UInt8], decoder: NATSProtocolDecoder = NATSProtocolDecoder(), file: StaticString = #filePath,
    line: UInt = #line
  ) -> NATSProtocolError? {
    guard let result = outcome([bytes], decoder: decoder) else {
      XCTFail("an error other than NATSProtocolError was thrown", file: file, line: line)
      return nil
    }
    XCTAssertNotNil(result.error, "expected a NATSProtocolError", file: file, line: line)
    return result.error
  }

  func testControlLineLongerThanTheLimitWithoutLineEnd() {
    let bytes = [UInt8](repeating: UInt8(ascii: "A"), count: 5000)
    XCTAssertEqual(error(bytes)?.code, .controlLineTooLong)
    // Raised as soon as the limit is passed, not after endless buffering.
    let small = NATSProtocolDecoder(maxControlLineLength: 8)
    XCTAssertEqual(error("MSG abcdef", decoder: small)?.code, .controlLineTooLong)
    XCTAssertEqual(outcome([Array("MSG abcde".utf8)], decoder: small)?.error, nil)
  }

  func testControlLineLongerThanTheLimitWithLineEnd() {
    let small = NATSProtocolDecoder(maxControlLineLength: 10)
    XCTAssertEqual(error("MSG foo.bar.baz 1 2\r\nhi\r\n", decoder: small)?.code, .controlLineTooLong)
    XCTAssertEqual(error("PINGPINGPIN\n", decoder: small)?.code, .controlLineTooLong)
  }

  func testLongControlLineIsRejectedWhenFedByteByByte() {
    let small = NATSProtocolDecoder(maxControlLineLength: 16)
    let chunks = Array(String(repeating: "x", count: 100).utf8).map { [$0] }
    XCTAssertEqual(outcome(chunks, decoder: small)?.error?.code, .controlLineTooLong)
  }

  func testNegativeAndNonNumericSizes() {
    XCTAssertEqual(error("MSG foo 1 -5\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("MSG foo 1 abc\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("MSG foo 1 5x\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("MSG foo 1 +5\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("MSG foo 1 99999999999999999999999\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("MSG foo sid 5\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("MSG foo -1 5\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("HMSG foo 1 -12 20\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("HMSG foo 1 12 x\r\n")?.code, .invalidSize)
  }

  func testHeaderSizeGreaterThanTotal() {
    XCTAssertEqual(error("HMSG foo 1 20 10\r\n")?.code, .invalidSize)
    XCTAssertEqual(error("HMSG foo 1 r 13 12\r\n")?.code, .invalidSize)
  }

  func testPayloadLargerThanMaxPayloadIsRejectedBeforeBuffering() {
    let decoder = NATSProtocolDecoder(maxPayload: 10)
    XCTAssertEqual(error("MSG foo 1 11\r\n", decoder: decoder)?.code, .payloadTooLarge)
    XCTAssertEqual(error("HMSG foo 1 4 11\r\n", decoder: decoder)?.code, .payloadTooLarge)
    XCTAssertEqual(error("MSG foo 1 9223372036854775807\r\n")?.code, .payloadTooLarge)
  }

  func testPayloadNotFollowedByCRLF() {
    XCTAssertEqual(error("MSG foo 1 2\r\nhiXY")?.code, .missingPayloadTerminator)
    XCTAssertEqual(error("MSG foo 1 2\r\nhi\rX")?.code, .missingPayloadTerminator)
    XCTAssertEqual(error("MSG foo 1 2\r\nhi\n\r")?.code, .missingPayloadTerminator)
    XCTAssertEqual(error("MSG foo 1 1\r\nhi\r\n")?.code, .missingPayloadTerminator)
    XCTAssertEqual(error("HMSG foo 1 12 12\r\nNATS/1.0\r\n\r\nXX")?.code, .missingPayloadTerminator)
  }

  func testUnknownOperations() {
    XCTAssertEqual(error("FOO bar\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error(" PING\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("PINGX\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("PUB foo 1\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("INFO{}\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error([0xFF, 0xFE, 0x00, 13, 10])?.code, .unknownOperation)
    // Near misses of the operation names: a leading NUL, one byte short or long, a non-letter
    // next to a letter under ASCII case folding (`@` is `` ` `` with the case bit set).
    XCTAssertEqual(error([0x00] + Array("MSG foo 1 0\r\n\r\n".utf8))?.code, .unknownOperation)
    XCTAssertEqual(error("MS foo 1 0\r\n\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("MSGS foo 1 0\r\n\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("HMSGX foo 1 0 0\r\n\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("+OKK\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("-ER\r\n")?.code, .unknownOperation)
    XCTAssertEqual(error("P@NG\r\n")?.code, .unknownOperation)
  }

  func testWrongArgumentCounts() {
    XCTAssertEqual(error("MSG\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("MSG foo 5\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("MSG a b c d e\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("HMSG foo 1 12\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("HMSG a 1 r 2 3 4\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("PING now\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("PONG 1\r\n")?.code, .malformedControlLine)
    XCTAssertEqual(error("+OK fine\r\n")?.code, .malformedControlLine)
  }

  func testMalformedHeaderBlocksInHMSG() {
    let cases = [
      "HTTP/1.1\r\n\r\n",
      "NATS/1.0\r\nNoColon\r\n\r\n",
      "NATS/1.0\r\n: empty\r\n\r\n",
      "NATS/1.0 50\r\n\r\n",
      "NATS/1.0 abc Bad\r\n\r\n",
      "NATS/1.0\r\nK: v\r\n",
      "NATS/1.0\r\nK: v\nX: y\r\n\r\n",
      "NATS/1.0\r\n\r\nextra",
    ]
    for block in cases {
      let wire = hmsgFrame(subject: "a", sid: 1, headerBlock: block, payload: "p")
      XCTAssertEqual(error(wire)?.code, .malformedHeaders, block.debugDescription)
    }
  }

  func testInvalidInfo() {
    XCTAssertEqual(error("INFO {not json}\r\n")?.code, .invalidInfo)
    XCTAssertEqual(error("INFO\r\n")?.code, .invalidInfo)
    XCTAssertEqual(error("INFO   \r\n")?.code, .invalidInfo)
    XCTAssertEqual(error(#"INFO {"port":"x"}"# + "\r\n")?.code, .invalidInfo)
    XCTAssertEqual(error(#"INFO ["a"]"# + "\r\n")?.code, .invalidInfo)
  }

  func testErrorDescriptionsCarryNoFrameContents() {
    let secret = "patient-4711"
    let wire = hmsgFrame(subject: "a", sid: 1, headerBlock: "NATS/1.0\r\n\(secret)\r\n\r\n", payload: "")
    guard let failure = error(wire) else { return }
    XCTAssertFalse(failure.description.contains(secret))
    XCTAssertTrue(failure.description.hasPrefix("NATS protocol error (malformedHeaders): "))
  }

  func testFrameBeforeAnErrorIsStillDelivered() {
    let result = outcome([Array("PING\r\nBOGUS\r\n".utf8)])
    XCTAssertEqual(result?.ops, [.ping])
    XCTAssertEqual(result?.error?.code, .unknownOperation)
  }

  // MARK: fuzz

  private static let fragments: [String] = [
    "MSG", "HMSG", "PING", "PONG", "+OK", "-ERR", "INFO", "msg", "hmsg", " ", " ", "\t", "\r\n", "\r\n", "\r",
    "\n", "foo", "foo.bar", "_INBOX.x.y", "$JS.ACK.S.C.1.2.3.4.5", "0", "1", "2", "5", "12", "16", "-1",
    "99999999999999999999", "NATS/1.0", "NATS/1.0 503", "NATS/1.0 100 Idle Heartbeat",
    "Nats-Pending-Bytes: 5",
    "Key: v:w", ":", "{", "}", "{}", #"{"port":4222}"#, #"{"port":"x"}"#, "'", "'oops'", "hello", "\u{00e9}",
    "\r\n\r\n",
  ]

  private static func randomInput(using generator: inout SeededGenerator) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<Int.random(in: 1...14, using: &generator) {
      let choice = Int.random(in: 0..<10, using: &generator)
      if choice < 2, let frame = Fixtures.all.randomElement(using: &generator) {
        bytes.append(contentsOf: frame.bytes)
      } else if choice == 2 {
        bytes.append(UInt8.random(in: 0...255, using: &generator))
      } else if let fragment = fragments.randomElement(using: &generator) {
        bytes.append(contentsOf: fragment.utf8)
      }
    }
    return bytes
  }

  func testFuzzProtocolFragmentsNeverTrapAndSplitsAgree() {
    var generator = SeededGenerator(seed: 0x4E41_5453)
    let decoders = [
      NATSProtocolDecoder(), NATSProtocolDecoder(maxControlLineLength: 24, maxPayload: 8),
    ]
    var errors = 0
    var frames = 0
    for iteration in 0..<2000 {
      let bytes = Self.randomInput(using: &generator)
      let decoder = decoders[iteration % decoders.count]
      guard let whole = outcome([bytes], decoder: decoder) else {
        return XCTFail("iteration \(iteration): error other than NATSProtocolError")
      }
      let cut = Int.random(in: 0...bytes.count, using: &generator)
      let split = outcome([Array(bytes[..<cut]), Array(bytes[cut...])], decoder: decoder)
      XCTAssertEqual(split, whole, "iteration \(iteration), cut \(cut)")
      if whole.error != nil { errors += 1 }
      frames += whole.ops.count
    }
    XCTAssertGreaterThan(errors, 100, "the fuzz input should hit the error paths")
    XCTAssertGreaterThan(frames, 50, "the fuzz input should also produce valid frames")
  }

  func testFuzzRandomBytesNeverTrap() {
    var generator = SeededGenerator(seed: 7)
    for iteration in 0..<1000 {
      let count = Int.random(in: 0...300, using: &generator)
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
      XCTAssertNotNil(outcome([bytes]), "iteration \(iteration)")
      XCTAssertNotNil(outcome(bytes.map { [$0] }), "iteration \(iteration) byte by byte")
    }
  }

  func testFuzzHeaderBlocksNeverTrap() {
    var generator = SeededGenerator(seed: 99)
    var parsed = 0
    for _ in 0..<2000 {
      var bytes = Self.randomInput(using: &generator)
      if Bool.random(using: &generator) {
        bytes = Array("NATS/1.0".utf8) + bytes
      }
      do {
        _ = try NATSHeaders.parse(ByteBuffer(bytes: bytes))
        parsed += 1
      } catch is NATSProtocolError {
        continue
      } catch {
        return XCTFail("unexpected error type \(type(of: error))")
      }
    }
    XCTAssertLessThan(parsed, 2000)
    XCTAssertGreaterThan(parsed, 0, "some generated blocks should be valid")
  }
}
