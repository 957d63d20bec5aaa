import ConsumerRuntime
import DomainEvents
import NATS
import ServiceOperations
import XCTest

/// What a service's `/metrics` shows: events by type and outcome, the latency histogram, the
/// consumer and outbox gauges, and the NATS connection's counters.
final class ServiceMetricsTests: XCTestCase {
  func testEventsAreCountedByTypeAndOutcome() {
    let metrics = ServiceMetrics(service: "charge-capture")
    metrics.eventProcessed(
      kind: .encounterStatusChanged, result: .processed, outcome: .processed, latency: .milliseconds(3))
    metrics.eventProcessed(
      kind: .encounterStatusChanged, result: .processed, outcome: .processed, latency: .milliseconds(4))
    metrics.eventProcessed(
      kind: nil, result: .permanentFailure("x"), outcome: .deadLettered(retryCount: 0), latency: .zero)
    let text = metrics.registry.render()
    XCTAssertTrue(
      text.contains(
        #"fleet_events_total{outcome="processed",service="charge-capture",type="\#(DomainEventKind.encounterStatusChanged.rawValue)"} 2"#
      ), text)
    XCTAssertTrue(
      text.contains(
        #"fleet_events_total{outcome="dead_lettered",service="charge-capture",type="unknown"} 1"#), text)
    XCTAssertTrue(text.contains(#"fleet_event_handling_seconds_count{service="charge-capture"} 3"#), text)
  }

  func testGaugesShowTheLastValues() {
    let metrics = ServiceMetrics(service: "gr-incidents")
    metrics.updateConsumer(pending: 12, ackPending: 3)
    metrics.updateOutbox(unpublished: 5)
    metrics.updateConsumer(pending: 7, ackPending: 1)
    let text = metrics.registry.render()
    XCTAssertTrue(text.contains(#"fleet_consumer_pending_messages{service="gr-incidents"} 7"#), text)
    XCTAssertTrue(text.contains(#"fleet_consumer_ack_pending_messages{service="gr-incidents"} 1"#), text)
    XCTAssertTrue(text.contains(#"fleet_notifications_unpublished{service="gr-incidents"} 5"#), text)
  }

  /// The counters follow the client's totals, and never go down.
  func testConnectionCountersFollowTheClientTotals() {
    let metrics = ServiceMetrics(service: "lead-reconciliation")
    var statistics = NATSStatistics()
    statistics.inMessages = 10
    statistics.inBytes = 1_280
    statistics.outMessages = 4
    statistics.outBytes = 16
    metrics.updateConnection(statistics)
    statistics.inMessages = 25
    statistics.inBytes = 3_200
    statistics.reconnects = 1
    metrics.updateConnection(statistics)
    var smaller = NATSStatistics()
    smaller.inMessages = 2
    metrics.updateConnection(smaller)
    let text = metrics.registry.render()
    for (name, value) in [
      ("fleet_nats_messages_received_total", 25), ("fleet_nats_bytes_received_total", 3_200),
      ("fleet_nats_messages_sent_total", 4), ("fleet_nats_bytes_sent_total", 16),
      ("fleet_nats_reconnects_total", 1),
    ] {
      XCTAssertTrue(text.contains(#"\#(name){service="lead-reconciliation"} \#(value)"#), "\(name): \(text)")
      XCTAssertTrue(text.contains("# TYPE \(name) counter"), name)
    }
  }
}
