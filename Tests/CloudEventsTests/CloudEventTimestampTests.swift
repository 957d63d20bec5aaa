import CloudEvents
import Foundation
import XCTest

final class CloudEventTimestampTests: XCTestCase {
  private let tenAMUTC: TimeInterval = 1_776_420_000  // 2026-04-17T10:00:00Z

  func testParsesUTCAndKeepsText() throws {
    let timestamp = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00Z"))
    XCTAssertEqual(timestamp.rfc3339, "2026-04-17T10:00:00Z")
    XCTAssertEqual(timestamp.description, "2026-04-17T10:00:00Z")
    XCTAssertEqual(timestamp.date.timeIntervalSince1970, tenAMUTC)
  }

  func testParsesFractions() throws {
    let millis = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00.123Z"))
    XCTAssertEqual(millis.date.timeIntervalSince1970, tenAMUTC + 0.123, accuracy: 1e-6)
    XCTAssertEqual(millis.rfc3339, "2026-04-17T10:00:00.123Z")

    let one = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00.5Z"))
    XCTAssertEqual(one.date.timeIntervalSince1970, tenAMUTC + 0.5, accuracy: 1e-9)

    let nanos = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00.123456789Z"))
    XCTAssertEqual(nanos.date.timeIntervalSince1970, tenAMUTC + 0.123456789, accuracy: 1e-6)

    let long = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00.12345678912345Z"))
    XCTAssertEqual(long.rfc3339, "2026-04-17T10:00:00.12345678912345Z")
    XCTAssertEqual(long.date.timeIntervalSince1970, tenAMUTC + 0.123456789, accuracy: 1e-6)
  }

  func testParsesOffsets() throws {
    let plusTwo = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T12:00:00+02:00"))
    XCTAssertEqual(plusTwo.date.timeIntervalSince1970, tenAMUTC)
    XCTAssertEqual(plusTwo.rfc3339, "2026-04-17T12:00:00+02:00")

    let minus = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T04:30:00.250-05:30"))
    XCTAssertEqual(minus.date.timeIntervalSince1970, tenAMUTC + 0.25, accuracy: 1e-9)

    let unknownLocal = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00-00:00"))
    XCTAssertEqual(unknownLocal.date.timeIntervalSince1970, tenAMUTC)

    // Crossing midnight and a year boundary through the offset.
    let newYear = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2027-01-01T01:00:00+02:00"))
    let expected = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-12-31T23:00:00Z"))
    XCTAssertEqual(newYear.date, expected.date)
  }

  func testAcceptsLowercaseSeparators() throws {
    let timestamp = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17t10:00:00z"))
    XCTAssertEqual(timestamp.date.timeIntervalSince1970, tenAMUTC)
    XCTAssertEqual(timestamp.rfc3339, "2026-04-17t10:00:00z")
  }

  func testLeapYears() throws {
    let leap = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2000-02-29T00:00:00Z"))
    XCTAssertEqual(leap.date.timeIntervalSince1970, 951_782_400)
    XCTAssertNotNil(CloudEventTimestamp(rfc3339: "2024-02-29T00:00:00Z"))
    XCTAssertNil(CloudEventTimestamp(rfc3339: "2023-02-29T00:00:00Z"))
    XCTAssertNil(CloudEventTimestamp(rfc3339: "1900-02-29T00:00:00Z"))
    let early = try XCTUnwrap(CloudEventTimestamp(rfc3339: "0001-01-01T00:00:00Z"))
    XCTAssertEqual(early.date.timeIntervalSince1970, -62_135_596_800)
  }

  func testRejectsInvalidTimestamps() {
    let invalid = [
      "",
      "2026-04-17",
      "2026-04-17 10:00:00Z",
      "2026-04-17T10:00:00",
      "2026-04-17T10:00Z",
      "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z",
      "2026-04-00T00:00:00Z",
      "2026-02-30T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-04-17T24:00:00Z",
      "2026-04-17T10:60:00Z",
      "2026-04-17T10:00:60Z",
      "2026-04-17T10:00:00.Z",
      "2026-04-17T10:00:00,5Z",
      "2026-04-17T10:00:00+0200",
      "2026-04-17T10:00:00+02",
      "2026-04-17T10:00:00+24:00",
      "2026-04-17T10:00:00+02:60",
      "2026-04-17T10:00:00ZZ",
      "2026-04-17T10:00:00Z ",
      " 2026-04-17T10:00:00Z",
      "26-04-17T10:00:00Z",
      "2026-4-17T10:00:00Z",
      "2026-04-17T1:00:00Z",
      "2026/04/17T10:00:00Z",
      "２０２６-04-17T10:00:00Z",
      "2026-04-17T10:00:00UTC",
      "-2026-04-17T10:00:00Z",
    ]
    for text in invalid {
      XCTAssertNil(CloudEventTimestamp(rfc3339: text), "accepted \(text.debugDescription)")
    }
  }

  func testInitFromDateRendersUTCMilliseconds() throws {
    let timestamp = CloudEventTimestamp(date: Date(timeIntervalSince1970: tenAMUTC + 0.5))
    XCTAssertEqual(timestamp.rfc3339, "2026-04-17T10:00:00.500Z")
    XCTAssertEqual(timestamp.date.timeIntervalSince1970, tenAMUTC + 0.5)

    let whole = CloudEventTimestamp(date: Date(timeIntervalSince1970: tenAMUTC))
    XCTAssertEqual(whole.rfc3339, "2026-04-17T10:00:00.000Z")

    let beforeEpoch = CloudEventTimestamp(date: Date(timeIntervalSince1970: -0.001))
    XCTAssertEqual(beforeEpoch.rfc3339, "1969-12-31T23:59:59.999Z")

    let rounded = CloudEventTimestamp(date: Date(timeIntervalSince1970: tenAMUTC + 59.9996))
    XCTAssertEqual(rounded.rfc3339, "2026-04-17T10:01:00.000Z")
  }

  func testInitFromDateRoundTripsThroughText() throws {
    for seconds in [tenAMUTC + 0.123, 0, -86_400.25, 951_782_400.999, 1_000_000_000.001] {
      let made = CloudEventTimestamp(date: Date(timeIntervalSince1970: seconds))
      let parsed = try XCTUnwrap(CloudEventTimestamp(rfc3339: made.rfc3339))
      XCTAssertEqual(parsed, made, "\(made.rfc3339)")
      XCTAssertEqual(parsed.date, made.date)
    }
  }

  func testInitFromDateClampsToFourDigitYears() {
    XCTAssertEqual(
      CloudEventTimestamp(date: Date(timeIntervalSince1970: .infinity)).rfc3339, "9999-12-31T23:59:59.999Z")
    XCTAssertEqual(
      CloudEventTimestamp(date: Date(timeIntervalSince1970: -.infinity)).rfc3339, "0000-01-01T00:00:00.000Z")
    XCTAssertEqual(
      CloudEventTimestamp(date: Date(timeIntervalSince1970: .nan)).rfc3339, "1970-01-01T00:00:00.000Z")
  }

  func testEqualityComparesText() throws {
    let plain = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00Z"))
    let millis = try XCTUnwrap(CloudEventTimestamp(rfc3339: "2026-04-17T10:00:00.000Z"))
    XCTAssertEqual(plain.date, millis.date)
    XCTAssertNotEqual(plain, millis)
  }
}
