import CloudEvents
import FleetLoad
import Foundation
import XCTest

final class DeterminismTests: XCTestCase {
  func testSameSeedProducesByteIdenticalSequences() {
    var generator = LoadGenerator(profile: LoadSample.profile, startTime: LoadSample.startTime)
    let again = generator.next(LoadSample.count)
    let first = LoadSample.transcript(LoadSample.events)
    let second = LoadSample.transcript(again)
    XCTAssertGreaterThan(first.count, 1_000_000)
    XCTAssertEqual(first, second)
  }

  func testDifferentSeedDiffers() {
    var other = LoadGenerator(profile: LoadProfile(seed: 20_260_418), startTime: LoadSample.startTime)
    let events = other.next(LoadSample.count)
    XCTAssertNotEqual(LoadSample.transcript(events), LoadSample.transcript(LoadSample.events))
    let ids = Set(LoadSample.events.map(\.event.id))
    XCTAssertTrue(events.allSatisfy { !ids.contains($0.event.id) }, "event ids must depend on the seed")
    var same = LoadGenerator(profile: LoadSample.profile, startTime: LoadSample.startTime)
    XCTAssertNotEqual(other.organizationIDs, same.organizationIDs)
    XCTAssertEqual(same.next().event.id, LoadSample.events[0].event.id)
  }

  func testBatchEqualsSingleCalls() {
    var single = LoadGenerator(profile: LoadSample.profile, startTime: LoadSample.startTime)
    var events: [GeneratedEvent] = []
    for _ in 0..<300 { events.append(single.next()) }
    XCTAssertEqual(LoadSample.transcript(events), LoadSample.transcript(Array(LoadSample.events.prefix(300))))
    XCTAssertEqual(single.emittedCount, 300)
    XCTAssertTrue(single.next(0).isEmpty)
    XCTAssertTrue(single.next(-3).isEmpty)
  }

  func testOrganizationIDsDeriveFromSeedOnly() {
    let first = LoadGenerator(profile: LoadProfile(seed: 9, organizations: 5), startTime: Date())
    let second = LoadGenerator(
      profile: LoadProfile(seed: 9, organizations: 5, duplicateShare: 0.3), startTime: LoadSample.startTime)
    XCTAssertEqual(first.organizationIDs.count, 5)
    XCTAssertEqual(first.organizationIDs, second.organizationIDs)
    XCTAssertEqual(Set(first.organizationIDs).count, 5)
  }

  func testTimestampsStartAtStartTimeAndNeverGoBack() {
    var previous = LoadSample.startTime
    var first = true
    for generated in LoadSample.events where !generated.isDuplicate {
      guard let time = generated.event.time?.date else {
        XCTFail("every event has a time")
        return
      }
      if first {
        XCTAssertGreaterThan(time, LoadSample.startTime)
        XCTAssertLessThan(time.timeIntervalSince(LoadSample.startTime), 2)
        first = false
      }
      XCTAssertGreaterThanOrEqual(time, previous)
      previous = time
    }
  }
}
