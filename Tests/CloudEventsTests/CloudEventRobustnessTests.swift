import CloudEvents
import XCTest

/// Malformed input never traps: every decode either throws `CloudEventDecodingError` or returns
/// a valid event.
final class CloudEventRobustnessTests: XCTestCase {
  private typealias F = CloudEventFixtures

  /// A small deterministic generator (64-bit LCG) so failures reproduce.
  private struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  private func assertDecodesOrThrowsTyped(
    _ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line
  ) {
    do {
      let event = try CloudEventJSONFormat.decode(bytes)
      XCTAssertEqual(event.validationErrors(), [], file: file, line: line)
    } catch {
      // Typed throws: the error is a CloudEventDecodingError by construction.
      XCTAssertFalse(error.reason.isEmpty, file: file, line: line)
    }
  }

  func testEveryTruncationOfAStructuredEventFails() throws {
    let encoded = try CloudEventJSONFormat.encode(try F.fullEvent())
    for length in 0..<encoded.count {
      XCTAssertThrowsError(try CloudEventJSONFormat.decode(Array(encoded[0..<length])), "prefix \(length)") {
        error in
        XCTAssertTrue(error is CloudEventDecodingError)
      }
    }
    XCTAssertNoThrow(try CloudEventJSONFormat.decode(encoded))
  }

  func testMutatedStructuredEventsNeverTrap() throws {
    let encoded = try CloudEventJSONFormat.encode(try F.fullEvent())
    let interesting: [UInt8] = Array("{}[]\",:\\u0123456789eE+-.ntfa ".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
    var generator = Generator(state: 42)
    for _ in 0..<3000 {
      var bytes = encoded
      for _ in 0..<(1 + generator.next(3)) {
        let position = generator.next(bytes.count)
        switch generator.next(3) {
        case 0: bytes[position] = interesting[generator.next(interesting.count)]
        case 1: bytes.remove(at: position)
        default: bytes.insert(interesting[generator.next(interesting.count)], at: position)
        }
      }
      assertDecodesOrThrowsTyped(bytes)
    }
  }

  func testMutatedHeaderValuesNeverTrap() throws {
    let (headers, body) = try CloudEventNATSBinding.encode(try F.fullEvent())
    let alphabet = Array("%0123456789abcdefABCDEF zé😀\"\u{0}".unicodeScalars)
    var generator = Generator(state: 7)
    for _ in 0..<2000 {
      var mutated = headers
      let index = generator.next(mutated.count)
      var scalars = Array(mutated[index].1.unicodeScalars)
      for _ in 0..<(1 + generator.next(4)) {
        let scalar = alphabet[generator.next(alphabet.count)]
        scalars.insert(scalar, at: generator.next(scalars.count + 1))
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars)
      mutated[index].1 = text
      do {
        let event = try CloudEventNATSBinding.decode(headers: mutated, body: body)
        XCTAssertEqual(event.validationErrors(), [])
      } catch {
        XCTAssertFalse(error.reason.isEmpty)
      }
    }
  }
}
