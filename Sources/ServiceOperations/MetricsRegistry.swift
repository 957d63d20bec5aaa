import Synchronization

/// A minimal Prometheus registry: counters, gauges and histograms rendered in the text exposition
/// format 0.0.4.
///
/// Asking twice for the same name and labels returns the same instrument. Labels must have bounded
/// values (a status, a stream, an outcome), never an event id or a subject: each metric holds at most
/// `maximumSeriesPerMetric` label sets. A request past that limit, or for a name already registered as
/// another kind, gets a working but unexported instrument and is counted in
/// `metrics_registry_rejected_total{reason=...}` (rendered once non-zero). Invalid characters in metric
/// and label names become `_`.
public final class MetricsRegistry: Sendable {
  /// The kind of a metric family, as written on its `# TYPE` line.
  enum Kind: String, Sendable {
    case counter, gauge, histogram
  }

  /// One instrument of a family.
  enum Instrument: Sendable {
    case counter(Counter)
    case gauge(Gauge)
    case histogram(Histogram)
  }

  /// All series of one metric name.
  struct Family: Sendable {
    var help: String
    var kind: Kind
    /// By rendered label set (`a="1",b="2"`, sorted by label name; empty without labels).
    var series: [String: Instrument]
  }

  /// Label sets allowed per metric name.
  public let maximumSeriesPerMetric: Int
  private let families = Mutex<[String: Family]>([:])
  private let rejectedForKind = Counter()
  private let rejectedForLimit = Counter()

  /// Creates an empty registry.
  public init(maximumSeriesPerMetric: Int = 1000) {
    self.maximumSeriesPerMetric = max(1, maximumSeriesPerMetric)
  }

  /// The counter for `name` and `labels`, created on first use with `help`.
  public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
    let instrument = register(name, help: help, kind: .counter, labels: labels) { .counter(Counter()) }
    if case .counter(let counter) = instrument { return counter }
    return Counter()
  }

  /// The gauge for `name` and `labels`, created on first use with `help`.
  public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
    let instrument = register(name, help: help, kind: .gauge, labels: labels) { .gauge(Gauge()) }
    if case .gauge(let gauge) = instrument { return gauge }
    return Gauge()
  }

  /// The histogram for `name` and `labels`, created on first use with `help` and `buckets` (upper bounds
  /// in seconds; `+Inf` is implied). A later request for the same series keeps the first buckets.
  public func histogram(
    _ name: String, help: String, buckets: [Double], labels: [String: String] = [:]
  ) -> Histogram {
    let instrument = register(name, help: help, kind: .histogram, labels: labels) {
      .histogram(Histogram(buckets: buckets))
    }
    if case .histogram(let histogram) = instrument { return histogram }
    return Histogram(buckets: buckets)
  }

  /// Every metric in the Prometheus text exposition format 0.0.4, families sorted by name.
  public func render() -> String {
    let snapshot = families.withLock { $0 }
    var output = ""
    for name in snapshot.keys.sorted() {
      guard let family = snapshot[name] else { continue }
      Self.renderFamily(name: name, family: family, into: &output)
    }
    let rejected = [("kind_conflict", rejectedForKind.value), ("series_limit", rejectedForLimit.value)]
    if rejected.contains(where: { $0.1 > 0 }) {
      var series: [String: Instrument] = [:]
      for (reason, count) in rejected where count > 0 {
        let counter = Counter()
        counter.increment(by: count)
        series[Self.renderLabels(["reason": reason], forHistogram: false)] = .counter(counter)
      }
      let family = Family(
        help: "Metric registrations refused (kind conflict or too many label sets); not exported.",
        kind: .counter, series: series)
      Self.renderFamily(name: "metrics_registry_rejected_total", family: family, into: &output)
    }
    return output
  }

  /// Finds or creates the series; `nil` when refused (the caller then hands out an unexported instrument).
  private func register(
    _ rawName: String, help: String, kind: Kind, labels: [String: String],
    make: () -> Instrument
  ) -> Instrument? {
    let name = Self.sanitizedMetricName(rawName)
    let key = Self.renderLabels(labels, forHistogram: kind == .histogram)
    enum Outcome {
      case found(Instrument)
      case kindConflict
      case seriesLimit
    }
    let outcome: Outcome = families.withLock { families in
      var family = families[name] ?? Family(help: help, kind: kind, series: [:])
      guard family.kind == kind else { return .kindConflict }
      if let existing = family.series[key] { return .found(existing) }
      guard family.series.count < maximumSeriesPerMetric else { return .seriesLimit }
      let created = make()
      family.series[key] = created
      families[name] = family
      return .found(created)
    }
    switch outcome {
    case .found(let instrument):
      return instrument
    case .kindConflict:
      rejectedForKind.increment()
      return nil
    case .seriesLimit:
      rejectedForLimit.increment()
      return nil
    }
  }
}
