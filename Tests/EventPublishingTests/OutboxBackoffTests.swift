import EventPublishing
import XCTest

final class OutboxBackoffTests: XCTestCase {
  func testGrowsExponentiallyUpToTheCap() {
    let backoff = OutboxBackoff(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0)
    XCTAssertEqual(backoff.delay(failures: 1, unitRandom: 0.5), .milliseconds(100))
    XCTAssertEqual(backoff.delay(failures: 2, unitRandom: 0.5), .milliseconds(200))
    XCTAssertEqual(backoff.delay(failures: 4, unitRandom: 0.5), .milliseconds(800))
    XCTAssertEqual(backoff.delay(failures: 5, unitRandom: 0.5), .seconds(1))
    XCTAssertEqual(backoff.delay(failures: 10_000, unitRandom: 0.5), .seconds(1))
  }

  func testJitterOnlyShortensTheWaitWithinItsFraction() {
    let backoff = OutboxBackoff(initial: .seconds(1), maximum: .seconds(8), multiplier: 2, jitter: 0.25)
    XCTAssertEqual(backoff.delay(failures: 3, unitRandom: 0), .seconds(4))
    XCTAssertEqual(backoff.delay(failures: 3, unitRandom: 1), .seconds(3))
    XCTAssertEqual(backoff.delay(failures: 3, unitRandom: 0.5), .milliseconds(3500))
    for _ in 0..<100 {
      let wait = backoff.delay(failures: 3)
      XCTAssertGreaterThanOrEqual(wait, .seconds(3))
      XCTAssertLessThanOrEqual(wait, .seconds(4))
    }
  }

  func testPermanentFailuresWaitTheMaximum() {
    let backoff = OutboxBackoff(initial: .milliseconds(10), maximum: .seconds(5), jitter: 0)
    XCTAssertEqual(backoff.delay(failures: 1, permanent: true, unitRandom: 0), .seconds(5))
  }

  func testOutOfRangeSettingsAreClamped() {
    let backoff = OutboxBackoff(initial: .zero, maximum: .zero, multiplier: 0.5, jitter: 7)
    XCTAssertGreaterThan(backoff.initial, .zero)
    XCTAssertGreaterThanOrEqual(backoff.maximum, backoff.initial)
    XCTAssertEqual(backoff.multiplier, 1)
    XCTAssertEqual(backoff.jitter, 1)
  }
}
