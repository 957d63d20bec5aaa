import Foundation
import XCTest

@testable import ConsumerRuntime

final class TimeOrderedUUIDTests: XCTestCase {
  func testIdsAreVersion7UUIDsThatSortInCreationOrder() {
    var previous = ""
    var seen = Set<String>()
    for _ in 0..<20_000 {
      let id = TimeOrderedUUID.make()
      XCTAssertNotNil(UUID(uuidString: id), id)
      XCTAssertEqual(id, id.lowercased())
      let characters = Array(id)
      XCTAssertEqual(characters[14], "7", "version nibble: \(id)")
      XCTAssertTrue("89ab".contains(characters[19]), "RFC 9562 variant: \(id)")
      XCTAssertGreaterThan(id, previous, "strictly increasing")
      XCTAssertTrue(seen.insert(id).inserted)
      previous = id
    }
  }

  func testTimestampIsTheWallClockAndStaysMonotonicWhenItStepsBack() {
    let now = Date(timeIntervalSince1970: 1_767_225_600.123)
    let id = TimeOrderedUUID.make(now: now.addingTimeInterval(86_400 * 365 * 10))
    let millis = UInt64(id.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)
    XCTAssertEqual(millis, UInt64((now.timeIntervalSince1970 + 86_400 * 365 * 10) * 1000))
    let earlier = TimeOrderedUUID.make(now: now)
    XCTAssertGreaterThan(earlier, id, "a clock stepping back does not reorder ids")
  }
}
