import CloudEvents
import Foundation
import XCTest

/// `JSONStringLiteral` writes what Foundation's `JSONEncoder` writes, with and without escaped
/// slashes, for every escape class and for runs between escapes.
final class JSONStringLiteralTests: XCTestCase {
  private static let samples: [String] = [
    "",
    "plain ascii text with spaces",
    "\"",
    "\\",
    "/",
    "a/b//c",
    "\"quoted\" and \\backslashed\\",
    "line\nbreak\r\ttab\u{8}backspace\u{C}formfeed",
    (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined(),
    "\u{7F} DEL stays",
    "é ü 漢字 🧠 non-ASCII",
    "end with escape\n",
    "\nstart with escape",
    "mixed\u{1}run\u{1F}of\"every/kind\\",
  ]

  func testMatchesJSONEncoderWithAndWithoutEscapedSlashes() throws {
    for escapingSlashes in [true, false] {
      let encoder = JSONEncoder()
      if !escapingSlashes { encoder.outputFormatting = .withoutEscapingSlashes }
      for sample in Self.samples {
        var out: [UInt8] = Array("prefix:".utf8)
        JSONStringLiteral.append(sample, to: &out, escapingSlashes: escapingSlashes)
        let expected = Array("prefix:".utf8) + Array(try encoder.encode(sample))
        XCTAssertEqual(
          String(decoding: out, as: UTF8.self), String(decoding: expected, as: UTF8.self),
          "escapingSlashes \(escapingSlashes): \(sample.debugDescription)")
      }
    }
  }

  func testOutputParsesBackToTheSameString() throws {
    for sample in Self.samples {
      var out: [UInt8] = []
      JSONStringLiteral.append(sample, to: &out, escapingSlashes: false)
      let decoded = try JSONDecoder().decode(String.self, from: Data(out))
      XCTAssertEqual(decoded, sample)
    }
  }
}
