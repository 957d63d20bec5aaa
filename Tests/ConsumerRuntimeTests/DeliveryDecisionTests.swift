import ConsumerRuntime
import XCTest

final class DeliveryDecisionTests: XCTestCase {
  let policy = RetryPolicy()

  func testDefaultPolicyMatchesTheSeeds() {
    XCTAssertEqual(policy.delays, [.seconds(1), .seconds(2), .seconds(4)])
    XCTAssertEqual(policy.maxDeliver, 4)
  }

  /// Deliveries 1…5 × every result.
  func testDecisionTable() {
    let transient = ProcessingResult.transientFailure("busy")
    let permanent = ProcessingResult.permanentFailure("invalid")
    let expected: [(ProcessingResult, Int, DeliveryDecision)] = [
      (.processed, 1, .ack), (.processed, 2, .ack), (.processed, 3, .ack), (.processed, 4, .ack),
      (.processed, 5, .ack),
      (.duplicate, 1, .ack), (.duplicate, 2, .ack), (.duplicate, 3, .ack), (.duplicate, 4, .ack),
      (.duplicate, 5, .ack),
      (transient, 1, .nak(delay: .seconds(1))), (transient, 2, .nak(delay: .seconds(2))),
      (transient, 3, .nak(delay: .seconds(4))),
      (transient, 4, .deadLetter(retryCount: 3, kind: "transient_exhausted")),
      (transient, 5, .deadLetter(retryCount: 3, kind: "transient_exhausted")),
      (permanent, 1, .deadLetter(retryCount: 0, kind: "permanent")),
      (permanent, 2, .deadLetter(retryCount: 1, kind: "permanent")),
      (permanent, 3, .deadLetter(retryCount: 2, kind: "permanent")),
      (permanent, 4, .deadLetter(retryCount: 3, kind: "permanent")),
      (permanent, 5, .deadLetter(retryCount: 4, kind: "permanent")),
    ]
    XCTAssertEqual(expected.count, 20)
    for (result, delivery, decision) in expected {
      XCTAssertEqual(
        DeliveryDecision.decide(result, deliveryCount: delivery, policy: policy), decision,
        "\(result) on delivery \(delivery)")
    }
  }

  func testDeliveryCountBelowOneCountsAsFirstDelivery() {
    XCTAssertEqual(
      DeliveryDecision.decide(.transientFailure("x"), deliveryCount: 0, policy: policy),
      .nak(delay: .seconds(1)))
    XCTAssertEqual(
      DeliveryDecision.decide(.permanentFailure("x"), deliveryCount: -3, policy: policy),
      .deadLetter(retryCount: 0, kind: "permanent"))
  }

  func testPolicyWithoutRetriesDeadLettersAtOnce() {
    let none = RetryPolicy(delays: [])
    XCTAssertEqual(none.maxDeliver, 1)
    XCTAssertEqual(
      DeliveryDecision.decide(.transientFailure("x"), deliveryCount: 1, policy: none),
      .deadLetter(retryCount: 0, kind: "transient_exhausted"))
    XCTAssertEqual(none.deferredDeadLetterDelay, .seconds(1))
  }

  func testCustomPolicyDelays() {
    let custom = RetryPolicy(delays: [.milliseconds(100), .milliseconds(500)])
    XCTAssertEqual(
      DeliveryDecision.decide(.transientFailure("x"), deliveryCount: 2, policy: custom),
      .nak(delay: .milliseconds(500)))
    XCTAssertEqual(
      DeliveryDecision.decide(.transientFailure("x"), deliveryCount: 3, policy: custom),
      .deadLetter(retryCount: 2, kind: "transient_exhausted"))
    XCTAssertEqual(custom.deferredDeadLetterDelay, .milliseconds(500))
  }

  func testLabelsAreBounded() {
    XCTAssertEqual(ProcessingResult.transientFailure("a long text").label, "transient")
    XCTAssertEqual(ProcessingResult.permanentFailure("x").label, "permanent")
    XCTAssertEqual(ProcessingOutcome.retryScheduled(.seconds(1)).label, "retry_scheduled")
    XCTAssertEqual(ProcessingOutcome.deadLettered(retryCount: 3).label, "dead_lettered")
  }
}
