import XCTest

@testable import ConsumerRuntime

/// `lowercasedIfNeeded()` is `lowercased()` without the copy when nothing changes.
final class LowercasedIfNeededTests: XCTestCase {
  func testTheValueIsAlwaysLowercased() {
    let samples = [
      "", "a", "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86", "0B07F4B8-BCFA-49D9-9DDD-B05154BFFB86", "Org-1",
      "ÄBC", "straße", "İstanbul", "ǅ", "already lower but ñ", "MIXED ñ Case", "tab\tAND\nlines",
    ]
    for sample in samples {
      XCTAssertEqual(sample.lowercasedIfNeeded(), sample.lowercased(), sample)
    }
  }

  func testALowercaseASCIIStringKeepsItsStorage() {
    let id = "0b07f4b8-bcfa-49d9-9ddd-b05154bffb86"
    let same = id.lowercasedIfNeeded()
    let address = { (text: String) in text.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil }
    XCTAssertNotNil(address(id))
    XCTAssertEqual(address(same), address(id), "no copy")
    XCTAssertNotEqual(address(id.uppercased().lowercasedIfNeeded()), address(id))
  }
}
