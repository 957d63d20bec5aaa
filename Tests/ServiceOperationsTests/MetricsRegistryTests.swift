import XCTest

@testable import ServiceOperations

final class MetricsRegistryTests: XCTestCase {
  func testRenderIsExactWithLabelsAndEscaping() {
    let registry = MetricsRegistry()
    let handled = registry.counter(
      "events_total", help: "Events handled.", labels: ["stream": "WQ", "outcome": "ack"])
    handled.increment()
    handled.increment(by: 2)
    let odd = registry.counter(
      "events_total", help: "ignored: the first help wins", labels: ["outcome": "a\"b\\c\nd", "stream": "WQ"])
    odd.increment()
    let inFlight = registry.gauge("in_flight", help: "In flight.\nSecond line \\ back")
    inFlight.set(2.5)
    let duration = registry.histogram(
      "handle_seconds", help: "Handler time.", buckets: [1, 0.1, 0.5, 0.5], labels: ["stream": "WQ"])
    for seconds in [0.0625, 0.375, 0.75, 5] { duration.observe(seconds) }

    let expected = """
      # HELP events_total Events handled.
      # TYPE events_total counter
      events_total{outcome="a\\"b\\\\c\\nd",stream="WQ"} 1
      events_total{outcome="ack",stream="WQ"} 3
      # HELP handle_seconds Handler time.
      # TYPE handle_seconds histogram
      handle_seconds_bucket{stream="WQ",le="0.1"} 1
      handle_seconds_bucket{stream="WQ",le="0.5"} 2
      handle_seconds_bucket{stream="WQ",le="1"} 3
      handle_seconds_bucket{stream="WQ",le="+Inf"} 4
      handle_seconds_sum{stream="WQ"} 6.1875
      handle_seconds_count{stream="WQ"} 4
      # HELP in_flight In flight.\\nSecond line \\\\ back
      # TYPE in_flight gauge
      in_flight 2.5

      """
    XCTAssertEqual(registry.render(), expected)
  }

  func testHistogramWithoutLabels() {
    let registry = MetricsRegistry()
    let latency = registry.histogram("pub_ack_seconds", help: "PubAck latency.", buckets: [0.25])
    latency.observe(0.25)
    latency.observe(.nan)
    XCTAssertEqual(
      registry.render(),
      """
      # HELP pub_ack_seconds PubAck latency.
      # TYPE pub_ack_seconds histogram
      pub_ack_seconds_bucket{le="0.25"} 1
      pub_ack_seconds_bucket{le="+Inf"} 1
      pub_ack_seconds_sum 0.25
      pub_ack_seconds_count 1

      """)
    XCTAssertEqual(latency.count, 1)
    XCTAssertEqual(latency.sum, 0.25)
  }

  func testSameNameAndLabelsGiveTheSameInstrument() {
    let registry = MetricsRegistry()
    let first = registry.counter("acks_total", help: "Acks.", labels: ["kind": "ack", "stream": "A"])
    let again = registry.counter("acks_total", help: "Acks.", labels: ["stream": "A", "kind": "ack"])
    let other = registry.counter("acks_total", help: "Acks.", labels: ["kind": "nak", "stream": "A"])
    XCTAssertTrue(first === again)
    XCTAssertFalse(first === other)
    XCTAssertTrue(registry.gauge("g", help: "G.") === registry.gauge("g", help: "G."))
    XCTAssertTrue(
      registry.histogram("h", help: "H.", buckets: [1]) === registry.histogram("h", help: "H.", buckets: [2]))
  }

  func testCounterAndGaugeArithmetic() {
    let counter = Counter()
    counter.increment()
    counter.increment(by: 5)
    counter.increment(by: -3)
    counter.increment(by: 0)
    XCTAssertEqual(counter.value, 6)

    let gauge = Gauge()
    gauge.set(10)
    gauge.add(-2.5)
    gauge.add(0.5)
    XCTAssertEqual(gauge.value, 8)
  }

  func testSpecialValuesAndNameSanitising() {
    let registry = MetricsRegistry()
    registry.gauge("up-time.seconds", help: "x", labels: ["bad-label": "v"]).set(.infinity)
    registry.gauge("9lives", help: "y").set(-.infinity)
    registry.gauge("ratio", help: "z").set(.nan)
    registry.histogram("lat", help: "w", buckets: [], labels: ["le": "x"]).observe(1)
    let rendered = registry.render()
    XCTAssertTrue(rendered.contains("up_time_seconds{bad_label=\"v\"} +Inf\n"), rendered)
    XCTAssertTrue(rendered.contains("_9lives -Inf\n"), rendered)
    XCTAssertTrue(rendered.contains("ratio NaN\n"), rendered)
    XCTAssertTrue(rendered.contains("lat_bucket{_le=\"x\",le=\"+Inf\"} 1\n"), rendered)
  }

  func testKindConflictAndSeriesLimitAreVisibleNotExported() {
    let registry = MetricsRegistry(maximumSeriesPerMetric: 2)
    registry.counter("jobs", help: "Jobs.").increment()
    let conflicting = registry.gauge("jobs", help: "Jobs as a gauge.")
    conflicting.set(7)
    XCTAssertEqual(conflicting.value, 7)
    for stream in ["A", "B", "C"] {
      registry.counter("per_stream_total", help: "Per stream.", labels: ["stream": stream]).increment()
    }
    let rendered = registry.render()
    XCTAssertFalse(rendered.contains("jobs 7"), rendered)
    XCTAssertTrue(rendered.contains("# TYPE jobs counter\njobs 1\n"), rendered)
    XCTAssertFalse(rendered.contains("stream=\"C\""), rendered)
    XCTAssertTrue(
      rendered.contains("metrics_registry_rejected_total{reason=\"kind_conflict\"} 1\n"), rendered)
    XCTAssertTrue(rendered.contains("metrics_registry_rejected_total{reason=\"series_limit\"} 1\n"), rendered)
  }

  func testEmptyRegistryRendersNothing() {
    XCTAssertEqual(MetricsRegistry().render(), "")
  }

  func testConcurrentIncrementsAreNotLost() async {
    let registry = MetricsRegistry()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask {
          let counter = registry.counter("hits_total", help: "Hits.")
          let histogram = registry.histogram("obs_seconds", help: "Obs.", buckets: [1])
          for _ in 0..<1000 {
            counter.increment()
            histogram.observe(0.5)
          }
        }
      }
    }
    XCTAssertEqual(registry.counter("hits_total", help: "Hits.").value, 8000)
    XCTAssertEqual(registry.histogram("obs_seconds", help: "Obs.", buckets: [1]).count, 8000)
  }
}
