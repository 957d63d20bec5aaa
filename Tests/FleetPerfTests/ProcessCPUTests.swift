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

  /// Another process's CPU time is read finer than /proc's 10 ms clock ticks, so a short phase
  /// of a few milliseconds still measures (the fleet benchmark's small runs need it).
  func testAnotherProcessIsReadFinerThanClockTicks() throws {
    let before = try XCTUnwrap(ProcessCPU.seconds(pid: getpid()))
    var spent = 0.0
    var sink: UInt64 = 0
    while spent < 0.002 {
      for i in 0..<10_000 { sink &+= UInt64(i) &* 2_654_435_761 }
      spent = try XCTUnwrap(ProcessCPU.seconds(pid: getpid())) - before
    }
    XCTAssertNotEqual(sink, 1)
    XCTAssertLessThan(spent, 0.005, "about 2 ms, not a 10 ms tick")
  }

  func testAnUnreadableServerPidIsRefused() {
    let options = FleetBenchmarkOptions(
      client: .init(servers: ["nats://127.0.0.1:1"]), streamsDirectory: "streams", serverPID: Int32.max)
    XCTAssertThrowsError(try options.validate()) { error in
      XCTAssertEqual((error as? PerfError)?.code, .invalidOption)
    }
  }
}
