import Foundation
import XCTest

@testable import ChargeCapture

/// The hand-written array writers must store exactly what `JSONEncoder` stored before.
final class ChargeCaptureJSONTextTests: XCTestCase {
  func testStringArraysMatchJSONEncoderByteForByte() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let samples: [[String]] = [
      [], ["90837"], ["90837", "H0004", "90839"], ["a/b", "q\"uote", "back\\slash"],
      ["line\nbreak\r\t\u{08}\u{0C}", "\u{00}\u{01}\u{1F}\u{7F}"], ["é 漢字 🙂", "\u{2028}"], [""],
    ]
    for sample in samples {
      XCTAssertEqual(JSONText.encode(sample), String(decoding: try encoder.encode(sample), as: UTF8.self))
      XCTAssertEqual(try JSONText.decode(JSONText.encode(sample), as: [String].self), sample)
    }
    for numbers in [[], [1], [0, -3, 12, Int.max, Int.min]] as [[Int]] {
      XCTAssertEqual(JSONText.encode(numbers), String(decoding: try encoder.encode(numbers), as: UTF8.self))
    }
  }

  func testCodeNormalizationKeepsCanonicalCodesAndFixesOthers() {
    XCTAssertEqual(BillingCode.normalized("90837"), "90837")
    XCTAssertEqual(BillingCode.normalized("H0004"), "H0004")
    XCTAssertEqual(BillingCode.normalized(" h2011\n"), "H2011")
    XCTAssertEqual(BillingCode.normalized("gt"), "GT")
    XCTAssertEqual(BillingCode.normalized(""), "")
  }

  func testPrecomputedRulesMatchTheConfiguration() throws {
    let organization = "1B4E28BA-2FA1-11D2-883F-0016D3CCA427"
    let configuration = try ChargeCaptureConfiguration.load(
      json: Array(
        #"{"defaults":{"auto_post_enabled":false},"organizations":{"\#(organization)":{"auto_post_enabled":true}}}"#
          .utf8))
    let handler = ChargeCaptureHandler(configuration: configuration)
    for id in [organization, organization.lowercased(), "00000000-0000-4000-8000-000000000000"] {
      XCTAssertEqual(handler.rules(for: id), configuration.rules(for: id), id)
    }
  }
}
