import FleetLoad
import Foundation
import XCTest

final class LoadProfileTests: XCTestCase {
  func testDecodesAPartialObjectWithDefaults() throws {
    let profile = try JSONDecoder().decode(LoadProfile.self, from: Data(#"{"seed": 7}"#.utf8))
    XCTAssertEqual(profile, LoadProfile(seed: 7))
    XCTAssertEqual(profile.organizations, 3)
    XCTAssertEqual(profile.duplicateShare, 0.02)
    XCTAssertEqual(profile.invalidShare, 0.01)
    XCTAssertEqual(profile.weights, LoadProfile.defaultWeights)
  }

  func testRoundTripsWithFlowNamesAsKeys() throws {
    let profile = LoadProfile(
      seed: 42, organizations: 5, duplicateShare: 0.1, invalidShare: 0, weights: [.crisis: 2, .restraint: 1])
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(profile)
    let text = String(decoding: data, as: UTF8.self)
    XCTAssertTrue(text.contains(#""weights":{"crisis":2,"restraint":1}"#), text)
    XCTAssertEqual(try JSONDecoder().decode(LoadProfile.self, from: data), profile)
  }

  func testRejectsAMissingSeed() {
    XCTAssertThrowsError(
      try JSONDecoder().decode(LoadProfile.self, from: Data(#"{"organizations": 2}"#.utf8)))
  }

  func testNormalizationClampsInsteadOfTrapping() {
    let wild = LoadProfile(
      seed: 1, organizations: -4, duplicateShare: .nan, invalidShare: 3,
      weights: [.crisis: -1, .restraint: .infinity])
    let normalized = wild.normalized
    XCTAssertEqual(normalized.organizations, 1)
    XCTAssertEqual(normalized.duplicateShare, 0.02)
    XCTAssertEqual(normalized.invalidShare, LoadProfile.maximumShare)
    XCTAssertEqual(normalized.weights, LoadProfile.defaultWeights, "no usable weight → default mix")
    var generator = LoadGenerator(profile: wild, startTime: Date(timeIntervalSince1970: .nan))
    XCTAssertEqual(generator.organizationIDs.count, 1)
    XCTAssertEqual(generator.next(100).count, 100)
    let huge = LoadProfile(seed: 1, organizations: 1_000_000).normalized
    XCTAssertEqual(huge.organizations, LoadProfile.maximumOrganizations)
  }
}
