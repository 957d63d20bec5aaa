import XCTest

@testable import JetStream

final class PullConsumerStateMachineTests: XCTestCase {
  typealias Machine = PullConsumerStateMachine
  let t0 = ContinuousClock.now

  private func consumeMachine(batch: Int = 10, maxBytes: Int? = nil) -> Machine {
    Machine(
      configuration: .init(
        mode: .consume, batch: batch, maxBytes: maxBytes, expires: .seconds(30), heartbeat: .seconds(5),
        retryDelay: .milliseconds(500), maxNoResponders: 2),
      now: t0)
  }

  private func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int64(seconds * 1000)) }

  private func expectPull(
    _ action: Machine.Action, batch: Int, file: StaticString = #filePath, line: UInt = #line
  ) {
    guard case .pull(let request) = action else {
      return XCTFail("expected a pull of \(batch), got \(action)", file: file, line: line)
    }
    XCTAssertEqual(request.batch, batch, file: file, line: line)
  }

  /// Receives `count` messages and hands them out (deliver + consumed) at `time`.
  private func receiveAndConsume(_ m: inout Machine, count: Int, at time: ContinuousClock.Instant) {
    for _ in 0..<count { m.messageReceived(bytes: 100, now: time) }
    for _ in 0..<count {
      XCTAssertEqual(m.nextAction(now: time), .deliver)
      m.messageConsumed()
    }
  }

  // MARK: consume

  func testInitialPullAsksForTheWholeBatchWithExpiresAndHeartbeat() {
    var m = consumeMachine()
    XCTAssertEqual(
      m.nextAction(now: t0),
      .pull(.init(batch: 10, maxBytes: nil, expires: .seconds(30), noWait: false, heartbeat: .seconds(5))))
    XCTAssertEqual(m.pendingMessages, 10)
    XCTAssertEqual(m.statistics.pullRequests, 1)
    XCTAssertEqual(m.nextAction(now: t0), .wait(until: at(10)), "waits for 2× heartbeat")
  }

  func testRefillsOnlyWhenOutstandingDropsBelowHalf() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    receiveAndConsume(&m, count: 5, at: at(1))
    XCTAssertEqual(m.pendingMessages, 5)
    guard case .wait = m.nextAction(now: at(1)) else { return XCTFail("5 of 10 outstanding: no refill yet") }
    receiveAndConsume(&m, count: 1, at: at(1))
    expectPull(m.nextAction(now: at(1)), batch: 6)
    XCTAssertEqual(m.pendingMessages, 10)
    XCTAssertEqual(m.statistics.pullRequests, 2)
  }

  func testBufferedMessagesCountSoASlowHandlerStopsPulls() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    for _ in 0..<10 { m.messageReceived(bytes: 10, now: at(1)) }
    XCTAssertEqual(m.bufferedMessages, 10)
    XCTAssertEqual(m.pendingMessages, 0)
    XCTAssertEqual(m.nextAction(now: at(100)), .deliver, "nothing pending, but the buffer is full: no pull")
    XCTAssertEqual(m.statistics.pullRequests, 1)
    for _ in 0..<5 {
      XCTAssertEqual(m.nextAction(now: at(100)), .deliver)
      m.messageConsumed()
    }
    XCTAssertEqual(m.nextAction(now: at(100)), .deliver, "5 buffered is not below half")
    m.messageConsumed()
    expectPull(m.nextAction(now: at(100)), batch: 6)
  }

  func testHeartbeatKeepsRequestAliveAndTimeoutRepulls() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    XCTAssertEqual(m.nextAction(now: at(9)), .wait(until: at(10)))
    m.statusReceived(code: 100, description: "Idle Heartbeat", now: at(8))
    XCTAssertEqual(m.nextAction(now: at(9)), .wait(until: at(18)), "heartbeat moved the deadline")
    XCTAssertEqual(m.statistics.missedHeartbeats, 0)
    expectPull(m.nextAction(now: at(18.5)), batch: 10)
    XCTAssertEqual(m.statistics.missedHeartbeats, 1)
    XCTAssertEqual(m.pendingMessages, 10)
  }

  func testDisconnectPausesHeartbeatAndReconnectRepulls() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.disconnected(now: at(1))
    guard case .wait = m.nextAction(now: at(60)) else { return XCTFail("no pull while disconnected") }
    XCTAssertEqual(m.statistics.missedHeartbeats, 0, "heartbeat check paused while disconnected")
    XCTAssertEqual(m.statistics.pullRequests, 1)
    m.reconnected(now: at(61))
    XCTAssertEqual(m.statistics.reconnects, 1)
    expectPull(m.nextAction(now: at(61)), batch: 10)
    XCTAssertEqual(m.pendingMessages, 10)
    XCTAssertEqual(m.nextAction(now: at(62)), .wait(until: at(71)))
  }

  func testRequestTimeoutWithPendingHeadersRepulls() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    receiveAndConsume(&m, count: 2, at: at(1))
    m.statusReceived(
      code: 408, description: "Request Timeout", pendingMessages: 8, pendingBytes: 0, now: at(30))
    XCTAssertEqual(m.pendingMessages, 0)
    XCTAssertEqual(m.statistics.lastReportedPendingMessages, 8)
    expectPull(m.nextAction(now: at(30)), batch: 10)
  }

  func testPendingHeadersOfOneExpiredRequestAreSubtracted() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    receiveAndConsume(&m, count: 6, at: at(1))
    expectPull(m.nextAction(now: at(1)), batch: 6)
    XCTAssertEqual(m.pendingMessages, 10)
    // The first request (4 left of 10) expires; the second (6) is still open.
    m.statusReceived(
      code: 408, description: "Request Timeout", pendingMessages: 4, pendingBytes: 400, now: at(30))
    XCTAssertEqual(m.pendingMessages, 6)
    XCTAssertEqual(m.statistics.lastReportedPendingBytes, 400)
    guard case .wait = m.nextAction(now: at(30)) else { return XCTFail("6 outstanding of 10: no refill") }
  }

  func testPendingBytesTracked() {
    var m = consumeMachine(maxBytes: 1000)
    guard case .pull(let request) = m.nextAction(now: t0) else { return XCTFail("initial pull") }
    XCTAssertEqual(request.maxBytes, 1000)
    XCTAssertEqual(m.pendingBytes, 1000)
    m.messageReceived(bytes: 300, now: at(1))
    XCTAssertEqual(m.pendingBytes, 700)
    m.statusReceived(
      code: 409, description: "Message Size Exceeds MaxBytes", pendingMessages: 9, pendingBytes: 700,
      now: at(2))
    XCTAssertEqual(m.pendingMessages, 0)
    XCTAssertEqual(m.pendingBytes, 0)
  }

  func testLeadershipChangeRepullsAtOnce() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.statusReceived(code: 409, description: "Leadership Change", now: at(2))
    XCTAssertEqual(m.pendingMessages, 0)
    expectPull(m.nextAction(now: at(2)), batch: 10)
    XCTAssertNil(m.completion)
  }

  func testExceededMaxWaitingRepullsAfterRetryDelay() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.statusReceived(code: 409, description: "Exceeded MaxWaiting", now: at(1))
    XCTAssertEqual(m.nextAction(now: at(1)), .wait(until: at(1.5)))
    expectPull(m.nextAction(now: at(1.5)), batch: 10)
    XCTAssertNil(m.completion)
  }

  func testConsumerDeletedHandsOutBufferThenFailsWithError() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.messageReceived(bytes: 10, now: at(1))
    m.statusReceived(code: 409, description: "Consumer Deleted", now: at(1))
    XCTAssertEqual(m.nextAction(now: at(1)), .deliver)
    m.messageConsumed()
    guard case .finish(let completion) = m.nextAction(now: at(1)) else { return XCTFail("must finish") }
    XCTAssertEqual(completion.error?.code, .consumerDeleted)
    guard case .finish = m.nextAction(now: at(100)) else { return XCTFail("stays finished, no more pulls") }
    XCTAssertEqual(m.statistics.pullRequests, 1)
  }

  func testPushBasedConsumerFailsWithError() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.statusReceived(code: 409, description: "Consumer is push based", now: at(1))
    guard case .finish(let completion) = m.nextAction(now: at(1)) else { return XCTFail("must finish") }
    XCTAssertEqual(completion.error?.code, .consumerIsPushBased)
  }

  func testBadRequestFailsWithError() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.statusReceived(code: 409, description: "Exceeded MaxRequestBatch of 5", now: at(1))
    guard case .finish(let completion) = m.nextAction(now: at(1)) else { return XCTFail("must finish") }
    XCTAssertEqual(completion.error?.code, .badPullRequest)
  }

  func testNoRespondersRetriedThenFails() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.statusReceived(code: 503, description: nil, now: at(1))
    XCTAssertEqual(m.nextAction(now: at(1)), .wait(until: at(1.5)))
    expectPull(m.nextAction(now: at(1.5)), batch: 10)
    m.statusReceived(code: 503, description: nil, now: at(2))
    expectPull(m.nextAction(now: at(2.5)), batch: 10)
    m.statusReceived(code: 503, description: nil, now: at(3))
    guard case .finish(let completion) = m.nextAction(now: at(3.5)) else {
      return XCTFail("gives up after 2")
    }
    XCTAssertEqual(completion.error?.code, .noResponders)
  }

  func testStopHandsOutBufferThenEnds() {
    var m = consumeMachine()
    expectPull(m.nextAction(now: t0), batch: 10)
    m.messageReceived(bytes: 10, now: at(1))
    m.stop()
    XCTAssertEqual(m.nextAction(now: at(1)), .deliver)
    m.messageConsumed()
    XCTAssertEqual(m.nextAction(now: at(1)), .finish(.stopped))
  }

  func testFailedPullIsRetriedAfterDelay() {
    var m = consumeMachine()
    guard case .pull(let request) = m.nextAction(now: t0) else { return XCTFail("initial pull") }
    m.pullFailed(request, reason: "buffer full", now: t0)
    XCTAssertEqual(m.pendingMessages, 0)
    XCTAssertEqual(m.nextAction(now: t0), .wait(until: at(0.5)))
    expectPull(m.nextAction(now: at(0.5)), batch: 10)
  }

  // MARK: fetch

  private func fetchMachine(batch: Int = 3, noWait: Bool = false, heartbeat: Duration? = nil) -> Machine {
    Machine(
      configuration: .init(
        mode: .fetch, batch: batch, expires: .seconds(5), heartbeat: heartbeat, noWait: noWait,
        fetchGrace: .seconds(1)),
      now: t0)
  }

  func testFetchEndsWhenBatchIsComplete() {
    var m = fetchMachine()
    XCTAssertEqual(
      m.nextAction(now: t0), .pull(.init(batch: 3, expires: .seconds(5), noWait: false, heartbeat: nil)))
    XCTAssertEqual(m.nextAction(now: at(1)), .wait(until: at(6)))
    for _ in 0..<3 { m.messageReceived(bytes: 10, now: at(1)) }
    for _ in 0..<3 {
      XCTAssertEqual(m.nextAction(now: at(1)), .deliver)
      m.messageConsumed()
    }
    XCTAssertEqual(m.nextAction(now: at(1)), .finish(.batchComplete))
    XCTAssertEqual(m.statistics.pullRequests, 1, "a fetch never refills")
  }

  func testNoWaitFetchEndsOn404() {
    var m = fetchMachine(batch: 5, noWait: true)
    XCTAssertEqual(m.nextAction(now: t0), .pull(.init(batch: 5, expires: nil, noWait: true, heartbeat: nil)))
    m.statusReceived(code: 404, description: "No Messages", now: at(0.01))
    XCTAssertEqual(m.nextAction(now: at(0.01)), .finish(.noMessages))
  }

  func testFetchEndsOn408AfterBufferedMessages() {
    var m = fetchMachine(batch: 5)
    _ = m.nextAction(now: t0)
    m.messageReceived(bytes: 10, now: at(1))
    m.statusReceived(
      code: 408, description: "Request Timeout", pendingMessages: 4, pendingBytes: 0, now: at(5))
    XCTAssertEqual(m.nextAction(now: at(5)), .deliver)
    m.messageConsumed()
    XCTAssertEqual(m.nextAction(now: at(5)), .finish(.expired))
  }

  func testFetchEndsAtItsDeadlineWithoutServerAnswer() {
    var m = fetchMachine()
    _ = m.nextAction(now: t0)
    XCTAssertEqual(m.nextAction(now: at(5.9)), .wait(until: at(6)))
    XCTAssertEqual(m.nextAction(now: at(6)), .finish(.expired))
  }

  func testFetchFailsOnMissingHeartbeat() {
    var m = fetchMachine(heartbeat: .seconds(1))
    _ = m.nextAction(now: t0)
    XCTAssertEqual(m.nextAction(now: at(1)), .wait(until: at(2)))
    m.statusReceived(code: 100, description: "Idle Heartbeat", now: at(1))
    XCTAssertEqual(m.nextAction(now: at(2)), .wait(until: at(3)))
    guard case .finish(let completion) = m.nextAction(now: at(3)) else { return XCTFail("must fail") }
    XCTAssertEqual(completion.error?.code, .noHeartbeat)
  }

  func testThresholdIsHalfTheBatchRoundedUp() {
    XCTAssertEqual(Machine.Configuration(mode: .consume, batch: 1).thresholdMessages, 1)
    XCTAssertEqual(Machine.Configuration(mode: .consume, batch: 10).thresholdMessages, 5)
    XCTAssertEqual(Machine.Configuration(mode: .consume, batch: 11).thresholdMessages, 6)
  }
}
