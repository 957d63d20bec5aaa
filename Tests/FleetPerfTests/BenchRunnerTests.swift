import Foundation
import JetStream
import NATS
import XCTest

@testable import FleetPerf

final class BenchRunnerTests: XCTestCase {
  /// Fields of a RESULT line.
  private func fields(_ line: String) -> [String: String] {
    var out: [String: String] = [:]
    for part in line.split(separator: " ").dropFirst() {
      let kv = part.split(separator: "=", maxSplits: 1)
      if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
    }
    return out
  }

  private func checkLine(_ result: BenchResult, n: Int, file: StaticString = #filePath, line: UInt = #line) {
    let text = result.resultLine
    XCTAssertTrue(text.hasPrefix("RESULT "), text, file: file, line: line)
    let f = fields(text)
    XCTAssertEqual(f["client"], "swift-nats", file: file, line: line)
    XCTAssertEqual(f["workload"], result.workload.rawValue, file: file, line: line)
    XCTAssertEqual(f["n"], String(n), file: file, line: line)
    XCTAssertEqual(f["done"], String(n), file: file, line: line)
    XCTAssertEqual(f["size"], "128", file: file, line: line)
    XCTAssertEqual(f["ok"], "1", text, file: file, line: line)
    XCTAssertNotNil(f["secs"].flatMap(Double.init), file: file, line: line)
    XCTAssertNotNil(f["msgs_per_s"].flatMap(Double.init), file: file, line: line)
  }

  func testEveryWorkloadAtSmallNIsOkAndLeavesTheStreamAsTheHarnessChecks() async throws {
    let fixture = try await PerfTestServer()
    let n = 2_000
    let settings = BenchSettings(deadline: .seconds(60))

    // core workloads run with the stream deleted
    try await BenchStream.delete(fixture.jetStream)
    let corePub = try await BenchRunner.run(workload: .corePub, url: fixture.url, n: n, settings: settings)
    checkLine(corePub, n: n)
    let corePubSub = try await BenchRunner.run(
      workload: .corePubSub, url: fixture.url, n: n, settings: settings)
    checkLine(corePubSub, n: n)

    // js_pub_async: fresh limits stream; afterwards exactly N messages, last one with its msg id
    try await BenchStream.reset(fixture.jetStream, retention: .limits)
    let async = try await BenchRunner.run(workload: .jsPubAsync, url: fixture.url, n: n, settings: settings)
    checkLine(async, n: n)
    XCTAssertEqual(async.extraValue("errs"), "0")
    XCTAssertEqual(async.extraValue("dups"), "0")
    XCTAssertEqual(async.extraValue("inflight"), "4096")
    let asyncCount = try await BenchStream.messageCount(fixture.jetStream)
    XCTAssertEqual(asyncCount, UInt64(n))
    let lastAsyncID = try await BenchStream.lastMessageID(fixture.jetStream)
    XCTAssertEqual(lastAsyncID.map { $0.hasPrefix("swift") && $0.hasSuffix("-\(n - 1)") }, true)

    // js_pub_sync: same checks plus the latency fields
    try await BenchStream.reset(fixture.jetStream, retention: .limits)
    let sync = try await BenchRunner.run(workload: .jsPubSync, url: fixture.url, n: n, settings: settings)
    checkLine(sync, n: n)
    let p50 = try XCTUnwrap(sync.extraValue("p50_us").flatMap(Double.init))
    let p99 = try XCTUnwrap(sync.extraValue("p99_us").flatMap(Double.init))
    XCTAssertGreaterThan(p50, 0)
    XCTAssertGreaterThanOrEqual(p99, p50)
    let syncCount = try await BenchStream.messageCount(fixture.jetStream)
    XCTAssertEqual(syncCount, UInt64(n))
    let lastSyncID = try await BenchStream.lastMessageID(fixture.jetStream)
    XCTAssertNotNil(lastSyncID)

    // js_pull_ack: WorkQueue stream preloaded with N; afterwards empty
    try await BenchStream.reset(fixture.jetStream, retention: .workqueue)
    let preloaded = try await BenchStream.preload(fixture.jetStream, n: n)
    XCTAssertEqual(preloaded, UInt64(n))
    let pull = try await BenchRunner.run(workload: .jsPullAck, url: fixture.url, n: n, settings: settings)
    checkLine(pull, n: n)
    XCTAssertEqual(pull.extraValue("stream_left"), "0")
    XCTAssertEqual(pull.extraValue("batch"), "256")
    let left = try await BenchStream.messageCount(fixture.jetStream)
    XCTAssertEqual(left, 0)
    let consumer = try await fixture.jetStream.consumerInfo(stream: "BENCH", name: "BENCHC")
    XCTAssertEqual(consumer.config.ackPolicy, .explicit)
    await fixture.shutdown()
  }

  func testPullAckIsNotOkWhenTheStreamHoldsFewerMessagesThanN() async throws {
    let fixture = try await PerfTestServer()
    try await BenchStream.reset(fixture.jetStream, retention: .workqueue)
    let preloaded = try await BenchStream.preload(fixture.jetStream, n: 100)
    XCTAssertEqual(preloaded, 100)
    let settings = BenchSettings(deadline: .seconds(3))
    let result = try await BenchRunner.run(workload: .jsPullAck, url: fixture.url, n: 200, settings: settings)
    XCTAssertFalse(result.ok)
    XCTAssertTrue(result.resultLine.contains(" ok=0"), result.resultLine)
    await fixture.shutdown()
  }

  func testMessageIDsAreTheTagAndTheDecimalNumber() {
    var numbers = [0, 1, 9, 10, 99, 100, 199_999, 1_000_000, Int.max, -1, Int.min]
    for _ in 0..<1_000 { numbers.append(Int.random(in: 0...Int.max)) }
    for tag in ["", "swift123-", "ünï-"] {
      for number in numbers {
        XCTAssertEqual(BenchRunner.messageID(tag, number), tag + String(number))
      }
    }
  }

  func testResultLineFormat() {
    let result = BenchResult(
      workload: .jsPubSync, n: 20_000, done: 20_000, size: 128, seconds: 2.5,
      extra: [("p50_us", "120.5"), ("p99_us", "240.0")])
    XCTAssertEqual(
      result.resultLine,
      "RESULT client=swift-nats workload=js_pub_sync n=20000 done=20000 size=128 secs=2.5000 msgs_per_s=8000 ok=1 p50_us=120.5 p99_us=240.0"
    )
    var failed = result
    failed.done = 0
    XCTAssertTrue(failed.resultLine.contains(" msgs_per_s=0 ok=0 "))
  }

  func testSettingsFromTheEnvironment() {
    let settings = BenchSettings(environment: [
      "BENCH_SIZE": "64", "BENCH_INFLIGHT": "100", "BENCH_BATCH": "32", "BENCH_DEADLINE_S": "7",
    ])
    XCTAssertEqual(settings, BenchSettings(size: 64, inflight: 100, batch: 32, deadline: .seconds(7)))
    XCTAssertEqual(settings.payload.count, 64)
    XCTAssertEqual(Array(settings.payload.prefix(3)), Array("abc".utf8))
    let defaults = BenchSettings(environment: ["BENCH_SIZE": "x", "BENCH_BATCH": "-4"])
    XCTAssertEqual(defaults.size, 128)
    XCTAssertEqual(defaults.batch, 1)
    XCTAssertEqual(defaults.inflight, 4096)
  }

  func testUnknownWorkloadAndBadNAreErrors() async {
    do {
      _ = try await BenchRunner.run(workload: "core_sub", url: "nats://127.0.0.1:1", n: 10)
      XCTFail("expected an error")
    } catch let error as PerfError {
      XCTAssertEqual(error.code, .invalidOption)
    } catch {
      XCTFail("unexpected \(error)")
    }
    do {
      _ = try await BenchRunner.run(workload: .corePub, url: "nats://127.0.0.1:1", n: 0)
      XCTFail("expected an error")
    } catch let error as PerfError {
      XCTAssertEqual(error.code, .invalidOption)
    } catch {
      XCTFail("unexpected \(error)")
    }
  }
}
