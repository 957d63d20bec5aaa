import DomainEvents
import NATS
import ServiceOperations
import Synchronization

/// Prometheus metrics of a consumer service. Labels are bounded: service, event type (one of the
/// contract kinds or `unknown`) and outcome; never an event id or a subject.
public final class ServiceMetrics: ProcessingObserver {
  /// The registry rendered by `/metrics`.
  public let registry: MetricsRegistry
  let service: String
  let latency: Histogram
  let pending: Gauge
  let ackPending: Gauge
  let notificationsPending: Gauge
  /// The NATS connection's counters (`NATSClient.statistics`), brought up to date by
  /// ``updateConnection(_:)``.
  let connection: ConnectionCounters

  struct ConnectionCounters {
    let messagesReceived: Counter
    let bytesReceived: Counter
    let messagesSent: Counter
    let bytesSent: Counter
    let reconnects: Counter
  }
  /// `fleet_events_total` series by "type/outcome", looked up once each (the registry renders
  /// label sets to find a series, too slow for every event).
  private let eventCounters = Mutex<[String: Counter]>([:])

  /// Creates the metrics of one service.
  public init(service: String, registry: MetricsRegistry = MetricsRegistry()) {
    self.registry = registry
    self.service = service
    self.latency = registry.histogram(
      "fleet_event_handling_seconds", help: "Time from pull to ack/nak/term decision for one event.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      labels: ["service": service])
    self.pending = registry.gauge(
      "fleet_consumer_pending_messages",
      help: "Messages in the work stream not yet delivered to this consumer.",
      labels: ["service": service])
    self.ackPending = registry.gauge(
      "fleet_consumer_ack_pending_messages", help: "Messages delivered and not yet acknowledged.",
      labels: ["service": service])
    self.notificationsPending = registry.gauge(
      "fleet_notifications_unpublished", help: "Rows in pf_notifications not yet published.",
      labels: ["service": service])
    let labels = ["service": service]
    self.connection = ConnectionCounters(
      messagesReceived: registry.counter(
        "fleet_nats_messages_received_total", help: "MSG frames received on the NATS connection.",
        labels: labels),
      bytesReceived: registry.counter(
        "fleet_nats_bytes_received_total", help: "Header and payload bytes of those frames.", labels: labels),
      messagesSent: registry.counter(
        "fleet_nats_messages_sent_total", help: "Messages published on the NATS connection (acks included).",
        labels: labels),
      bytesSent: registry.counter(
        "fleet_nats_bytes_sent_total", help: "Header and payload bytes of those messages.", labels: labels),
      reconnects: registry.counter(
        "fleet_nats_reconnects_total", help: "Reconnects of the NATS connection.", labels: labels))
  }

  public func eventProcessed(
    kind: DomainEventKind?, result: ProcessingResult, outcome: ProcessingOutcome, latency: Duration
  ) {
    let type = kind?.rawValue ?? "unknown"
    let label = outcome.label
    let key = type + "/" + label
    let counter =
      eventCounters.withLock { $0[key] }
      ?? {
        let created = registry.counter(
          "fleet_events_total",
          help:
            "Events handled, by type and outcome (processed, duplicate, retry_scheduled, dead_lettered, dead_letter_deferred).",
          labels: ["service": service, "type": type, "outcome": label])
        eventCounters.withLock { $0[key] = created }
        return created
      }()
    counter.increment()
    let (seconds, attoseconds) = latency.components
    self.latency.observe(Double(seconds) + Double(attoseconds) / 1e18)
  }

  /// Updates the consumer gauges from a consumer info.
  public func updateConsumer(pending: UInt64, ackPending: Int) {
    self.pending.set(Double(pending))
    self.ackPending.set(Double(ackPending))
  }

  /// Brings the connection counters up to `statistics` (the client's totals only grow; a smaller
  /// total, from another client, leaves a counter where it is).
  public func updateConnection(_ statistics: NATSStatistics) {
    func advance(_ counter: Counter, to total: Int) { counter.increment(by: total - counter.value) }
    advance(connection.messagesReceived, to: statistics.inMessages)
    advance(connection.bytesReceived, to: statistics.inBytes)
    advance(connection.messagesSent, to: statistics.outMessages)
    advance(connection.bytesSent, to: statistics.outBytes)
    advance(connection.reconnects, to: statistics.reconnects)
  }

  /// Updates the outbox gauge.
  public func updateOutbox(unpublished: Int) { notificationsPending.set(Double(unpublished)) }
}
