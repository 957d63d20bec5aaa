import Foundation
import XCTest

@testable import ConsumerRuntime

final class ISOTimeTests: XCTestCase {
  func testTheTextIsTheISO8601FormatWithMilliseconds() {
    let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    // Instants whose milliseconds are exact in binary, so rounding and truncation agree.
    for seconds in [0, 1_776_420_000.5, 1_776_420_000.25, 951_782_400.125, 4_102_444_799.875, -0.5] {
      let date = Date(timeIntervalSince1970: seconds)
      XCTAssertEqual(ISOTime.string(date), style.format(date), "\(seconds)")
    }
    XCTAssertEqual(ISOTime.string(Date(timeIntervalSince1970: 1_776_420_000.5)), "2026-04-17T10:00:00.500Z")
  }
}
