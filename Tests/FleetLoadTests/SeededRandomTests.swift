import FleetLoad
import Foundation
import XCTest

final class SeededRandomTests: XCTestCase {
  func testSplitMix64MatchesTheReferenceSequence() {
    // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    var mixer = SplitMix64(seed: 0)
    XCTAssertEqual(mixer.next(), 0xE220_A839_7B1D_CDAF)
    XCTAssertEqual(mixer.next(), 0x6E78_9E6A_A1B9_65F4)
    XCTAssertEqual(mixer.next(), 0x06C4_5D18_8009_454F)
  }

  func testSameSeedSameSequenceDifferentSeedDifferent() {
    var first = SeededRandom(seed: 1)
    var second = SeededRandom(seed: 1)
    var third = SeededRandom(seed: 2)
    let a = (0..<64).map { _ in first.next() }
    XCTAssertEqual(a, (0..<64).map { _ in second.next() })
    XCTAssertNotEqual(a, (0..<64).map { _ in third.next() })
  }

  func testBoundedValuesStayInRange() {
    var random = SeededRandom(seed: 99)
    var seen = Set<Int>()
    for _ in 0..<10_000 {
      let value = random.int(in: 3...9)
      XCTAssertTrue((3...9).contains(value))
      seen.insert(value)
      let unit = random.unit()
      XCTAssertTrue(unit >= 0 && unit < 1)
    }
    XCTAssertEqual(seen, Set(3...9))
    XCTAssertEqual(random.int(below: 0), 0)
    XCTAssertEqual(random.int(below: 1), 0)
    XCTAssertNil(random.element(of: [Int]()))
    XCTAssertEqual(random.weighted([("only", 0.0)]), "only")
    XCTAssertEqual(random.weighted([("never", 0.0), ("always", 1.0)]), "always")
  }

  func testUUIDsAreVersion4Lowercase() {
    var random = SeededRandom(seed: 3)
    for _ in 0..<1_000 {
      let uuid = random.uuid()
      XCTAssertEqual(uuid.count, 36)
      XCTAssertEqual(Array(uuid)[14], "4")
      XCTAssertTrue("89ab".contains(Array(uuid)[19]))
      XCTAssertEqual(uuid, uuid.lowercased())
      XCTAssertNotNil(UUID(uuidString: uuid))
    }
  }
}
