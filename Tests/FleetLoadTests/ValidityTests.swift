import CloudEvents
import DomainEvents
import FleetLoad
import Foundation
import XCTest

final class ValidityTests: XCTestCase {
  func testEveryValidEventDecodesAndEveryInvalidEventFails() {
    var invalidCount = 0
    for generated in LoadSample.events {
      XCTAssertNoThrow(try generated.event.validate(), "every event is a valid CloudEvent")
      XCTAssertNoThrow(try CloudEventJSONFormat.encode(generated.event))
      if let data = generated.event.data {
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(data)), "data is valid JSON")
      } else {
        XCTFail("every event has data")
      }
      if let invalidity = generated.invalidity {
        invalidCount += 1
        XCTAssertFalse(generated.isDuplicate)
        do throws(DomainEventError) {
          _ = try DomainEventDecoder.decode(generated.event)
          XCTFail("\(invalidity) event \(generated.event.type) must not decode")
        } catch {
          if invalidity == .unknownType {
            XCTAssertEqual(error.code, .unknownType)
            XCTAssertNil(generated.kind)
          } else {
            XCTAssertNotEqual(error.code, .unknownType, "\(invalidity): \(error)")
            XCTAssertNotNil(generated.kind)
          }
        }
      } else {
        do {
          let decoded = try DomainEventDecoder.decode(generated.event)
          XCTAssertEqual(decoded.kind, generated.kind)
          XCTAssertEqual(generated.subject, decoded.kind.subject)
        } catch {
          XCTFail("valid \(generated.kind?.rawValue ?? "?") event does not decode: \(error)")
        }
      }
    }
    XCTAssertGreaterThan(invalidCount, 0)
  }

  func testObservedSharesMatchTheProfile() {
    let total = Double(LoadSample.events.count)
    let duplicates = Double(LoadSample.events.filter(\.isDuplicate).count) / total
    let invalid = Double(LoadSample.events.filter { $0.invalidity != nil }.count) / total
    XCTAssertEqual(duplicates, LoadSample.profile.duplicateShare, accuracy: 0.008)
    XCTAssertEqual(invalid, LoadSample.profile.invalidShare, accuracy: 0.006)
  }

  func testHigherSharesAreHonoured() {
    var generator = LoadGenerator(
      profile: LoadProfile(seed: 77, duplicateShare: 0.2, invalidShare: 0.1), startTime: LoadSample.startTime)
    let events = generator.next(3_000)
    let duplicates = Double(events.filter(\.isDuplicate).count) / 3_000
    let invalid = Double(events.filter { $0.invalidity != nil }.count) / 3_000
    XCTAssertEqual(duplicates, 0.2, accuracy: 0.03)
    XCTAssertEqual(invalid, 0.1, accuracy: 0.025)
    var counts: [Invalidity: Int] = [:]
    for event in events { if let invalidity = event.invalidity { counts[invalidity, default: 0] += 1 } }
    for invalidity in Invalidity.allCases {
      XCTAssertGreaterThan(counts[invalidity] ?? 0, 10, "\(invalidity) must be produced")
    }
  }

  func testEveryInvalidityAppearsInTheSample() {
    let seen = Set(LoadSample.events.compactMap(\.invalidity))
    XCTAssertEqual(seen, Set(Invalidity.allCases))
  }

  func testDuplicatesRepeatAnEarlierValidEventUnchanged() throws {
    var earlier: [String: [UInt8]] = [:]
    var duplicates = 0
    for generated in LoadSample.events {
      let bytes = try CloudEventJSONFormat.encode(generated.event)
      if generated.isDuplicate {
        duplicates += 1
        XCTAssertNil(generated.invalidity)
        XCTAssertEqual(earlier[generated.event.id], bytes, "a duplicate re-emits an earlier event unchanged")
      } else if generated.invalidity == nil {
        XCTAssertNil(earlier[generated.event.id], "original event ids are unique")
        earlier[generated.event.id] = bytes
      }
    }
    XCTAssertGreaterThan(duplicates, 0)
  }

  func testEveryKindAppears() {
    let seen = Set(LoadSample.decoded.filter { !$0.0.isDuplicate }.map(\.1.kind))
    let missing = DomainEventKind.allCases.filter { !seen.contains($0) }
    XCTAssertTrue(missing.isEmpty, "missing kinds: \(missing.map(\.rawValue))")
    XCTAssertEqual(Set(LoadSample.events.map(\.flow)), Set(FlowKind.allCases))
  }

  func testSingleFlowProfilesProduceOnlyThatFlowPlusPrerequisites() {
    var generator = LoadGenerator(
      profile: LoadProfile(seed: 5, duplicateShare: 0, invalidShare: 0, weights: [.costAllocation: 1]),
      startTime: LoadSample.startTime)
    let events = generator.next(200)
    XCTAssertTrue(events.allSatisfy { $0.kind == .faProgramCostAllocated && $0.flow == .costAllocation })
    XCTAssertTrue(events.allSatisfy { (try? DomainEventDecoder.decode($0.event)) != nil })
  }
}
