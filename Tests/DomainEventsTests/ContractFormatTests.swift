import DomainEvents
import Foundation
import XCTest

final class ContractFormatTests: XCTestCase {
  func testUUIDs() {
    for good in [
      "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df", "0DBF5A8B-6B19-4D67-BDE7-7B7E12B2C4DF",
      "00000000-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000000",
    ] {
      XCTAssertTrue(ContractFormat.isUUID(good), good)
    }
    for bad in [
      "", "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4d", "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4dff",
      "{0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4df}", "0dbf5a8b_6b19_4d67_bde7_7b7e12b2c4df",
      "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4dz", "0dbf5a8b-6b194-d67-bde7-7b7e12b2c4df",
      "0dbf5a8b-6b19-4d67-bde7-7b7e12b2c4dé", "11111111-...",
    ] {
      XCTAssertFalse(ContractFormat.isUUID(bad), bad)
    }
  }

  func testDates() {
    XCTAssertEqual(ContractFormat.date("1970-01-02"), Date(timeIntervalSince1970: 86_400))
    XCTAssertEqual(ContractFormat.date("2026-04-17"), Date(timeIntervalSince1970: 1_776_384_000))
    for good in ["2024-02-29", "2000-02-29", "2026-12-31", "2026-01-01", "0001-01-01"] {
      XCTAssertNotNil(ContractFormat.date(good), good)
    }
    for bad in [
      "2026-02-29", "1900-02-29", "2026-04-31", "2026-00-10", "2026-13-10", "2026-01-00", "2026-1-01",
      "26-01-01",
      "2026-01-01T00:00:00Z", "2026-01-01 ", " 2026-01-01", "2026/01/01", "", "2026-01-0a",
    ] {
      XCTAssertNil(ContractFormat.date(bad), bad)
    }
  }

  func testDateTimes() {
    let base = Date(timeIntervalSince1970: 1_776_420_000)  // 2026-04-17T10:00:00Z
    XCTAssertEqual(ContractFormat.dateTime("2026-04-17T10:00:00Z"), base)
    XCTAssertEqual(ContractFormat.dateTime("2026-04-17t10:00:00z"), base)
    XCTAssertEqual(ContractFormat.dateTime("2026-04-17T12:00:00+02:00"), base)
    XCTAssertEqual(ContractFormat.dateTime("2026-04-17T05:30:00-04:30"), base)
    XCTAssertEqual(
      ContractFormat.dateTime("2026-04-17T10:00:00.250Z")?.timeIntervalSince1970 ?? 0, 1_776_420_000.25,
      accuracy: 1e-6)
    XCTAssertNotNil(ContractFormat.dateTime("2016-12-31T23:59:60Z"), "leap second")
    for bad in [
      "2026-04-17T10:00:00", "2026-04-17 10:00:00Z", "2026-04-17T24:00:00Z", "2026-04-17T10:60:00Z",
      "2026-04-17T10:00:61Z", "2026-04-17T10:00Z", "2026-04-17T10:00:00.Z", "2026-04-17T10:00:00+0200",
      "2026-04-17T10:00:00+24:00", "2026-02-30T10:00:00Z", "2026-04-17", "2026-04-17T10:00:00ZZ", "",
    ] {
      XCTAssertNil(ContractFormat.dateTime(bad), bad)
    }
  }

  func testDateOrDateTime() {
    XCTAssertTrue(ContractFormat.isDateOrDateTime("2026-12-31"))
    XCTAssertTrue(ContractFormat.isDateOrDateTime("2026-12-31T00:00:00Z"))
    XCTAssertFalse(ContractFormat.isDateOrDateTime("2026-12-32"))
    XCTAssertFalse(ContractFormat.isDateOrDateTime("end of year"))
  }
}
