import Foundation
import XCTest

@testable import FleetPerf

final class ProcessCPUTests: XCTestCase {
  func testStatLineFieldsAreCountedAfterTheCommandName() {
    // utime 250 and stime 50 ticks; the command name holds spaces and a parenthesis.
    let line = "4242 (nats server (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0 100 0 0"
    XCTAssertEqual(ProcessCPU.seconds(statLine: line, ticksPerSecond: 100), 3.0)
    XCTAssertNil(ProcessCPU.seconds(statLine: "4242 (short) S 1 2", ticksPerSecond: 100))
    XCTAssertNil(ProcessCPU.seconds(statLine: "no parenthesis", ticksPerSecond: 100))
  }

  func testThisProcessIsReadableBothWays() throws {
    let viaProc = try XCTUnwrap(ProcessCPU.seconds(pid: getpid()))
    XCTAssertGreaterThan(ProcessCPU.ownSeconds(), 0)
    XCTAssertGreaterThanOrEqual(viaProc, 0)
    XCTAssertNil(ProcessCPU.seconds(pid: Int32.max))
  }

  func testAnUnreadableServerPidIsRefused() {
    let options = FleetBenchmarkOptions(
      client: .init(servers: ["nats://127.0.0.1:1"]), streamsDirectory: "streams", serverPID: Int32.max)
    XCTAssertThrowsError(try options.validate()) { error in
      XCTAssertEqual((error as? PerfError)?.code, .invalidOption)
    }
  }
}
