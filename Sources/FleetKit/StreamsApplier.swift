import JetStream
import StreamTopology

/// The logic of `fleet streams apply`: validate the topology, then for every stream (upstreams of
/// sources first) and then every consumer, read the server's current config, plan the change with
/// ``ApplyPlanner`` and (unless it is a dry run) create or update the object.
public struct StreamsApplier: Sendable {
  /// The JetStream calls used.
  public let jetStream: any JetStreamAdministration

  /// Creates an applier that manages the streams of `jetStream`.
  public init(jetStream: JetStreamContext) {
    self.jetStream = jetStream
  }

  /// Creates an applier over any implementation of the management calls.
  public init(administration: any JetStreamAdministration) {
    self.jetStream = administration
  }

  /// Applies `topology`: returns one change per stream and consumer, in the order applied, and
  /// reports each to `onChange` as soon as it is done. With `dryRun` nothing is created or updated.
  ///
  /// Throws ``StreamsApplyError`` with `.invalidTopology` (and every problem) before any call when
  /// `topology.validate()` finds problems, and with `.serverRejected` (and the changes already
  /// made) when the server refuses a call.
  /// Polls the stream info until every source reports `active >= 0` (bounded by `timeout`).
  func waitForActiveSources(_ name: String, timeout: Duration = .seconds(30)) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      let sources = try await jetStream.streamInfoJSON(named: name)?["sources"]?.arrayValue ?? []
      let inactive = sources.filter { ($0["active"]?.int64Value ?? 0) < 0 }
      if inactive.isEmpty { return }
      if ContinuousClock.now >= deadline {
        let names = inactive.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
        throw FleetError(.timeout, "sources of \(name) did not become active within \(timeout): \(names)")
      }
      try await Task.sleep(for: .milliseconds(25))
    }
  }

  public func apply(
    _ topology: Topology, dryRun: Bool = false, onChange: (StreamsApplyChange) -> Void = { _ in }
  ) async throws(StreamsApplyError) -> [StreamsApplyChange] {
    let problems = topology.validate()
    guard problems.isEmpty else {
      throw StreamsApplyError(
        .invalidTopology, "the topology has \(problems.count) problem(s)", problems: problems)
    }
    var changes: [StreamsApplyChange] = []
    func record(_ change: StreamsApplyChange) {
      changes.append(change)
      onChange(change)
    }
    for stream in Self.orderedStreams(topology) {
      let object = StreamsApplyChange.Object.stream(stream.name)
      do {
        let current = try await jetStream.streamInfoJSON(named: stream.name)?["config"]
        let change = ApplyPlanner.diff(desired: stream.config, current: current)
        if !dryRun {
          switch change {
          case .create: try await jetStream.createStream(json: stream.config)
          case .update: try await jetStream.updateStream(json: stream.config)
          case .unchanged: break
          }
        }
        record(StreamsApplyChange(object: object, change: change))
      } catch {
        throw failure(object, error, applied: changes)
      }
    }
    if !dryRun {
      // Sources are established asynchronously; consuming from a work stream before they are
      // active can lose upstream messages for good (docs/ARCHITECTURE.md, "Sourcing").
      for stream in Self.orderedStreams(topology) where stream.config["sources"] != nil {
        do {
          try await waitForActiveSources(stream.name)
        } catch {
          throw failure(.stream(stream.name), error, applied: changes)
        }
      }
    }
    for consumer in Self.orderedConsumers(topology) {
      let object = StreamsApplyChange.Object.consumer(stream: consumer.stream, name: consumer.name)
      do {
        let current = try await jetStream.consumerInfoJSON(stream: consumer.stream, name: consumer.name)?[
          "config"]
        let change = ApplyPlanner.diff(desired: consumer.config, current: current)
        if !dryRun {
          switch change {
          case .create:
            try await jetStream.createOrUpdateConsumer(
              stream: consumer.stream, json: consumer.config, action: .create)
          case .update:
            try await jetStream.createOrUpdateConsumer(
              stream: consumer.stream, json: consumer.config, action: .update)
          case .unchanged: break
          }
        }
        record(StreamsApplyChange(object: object, change: change))
      } catch {
        throw failure(object, error, applied: changes)
      }
    }
    return changes
  }

  private func failure(
    _ object: StreamsApplyChange.Object, _ error: any Error, applied: [StreamsApplyChange]
  ) -> StreamsApplyError {
    StreamsApplyError(
      .serverRejected, "\(object): \(FleetErrorText.oneLine(error))", applied: applied, cause: error)
  }

  /// The streams in apply order: every stream after the streams it sources from (when they are in
  /// the topology), otherwise in file order. A cycle (reported by `validate()`) keeps file order.
  public static func orderedStreams(_ topology: Topology) -> [StreamDefinition] {
    var ordered: [StreamDefinition] = []
    var placed: Set<String> = []
    func place(_ stream: StreamDefinition, visiting: Set<String>) {
      guard !placed.contains(stream.name) else { return }
      let visiting = visiting.union([stream.name])
      for upstream in stream.sourcedSubjects.map(\.stream) where !visiting.contains(upstream) {
        if let definition = topology.stream(named: upstream) { place(definition, visiting: visiting) }
      }
      if placed.insert(stream.name).inserted { ordered.append(stream) }
    }
    for stream in topology.streams { place(stream, visiting: []) }
    return ordered
  }

  /// The consumers in apply order: grouped by their stream in stream apply order, file order within.
  public static func orderedConsumers(_ topology: Topology) -> [ConsumerDefinition] {
    let rank = Dictionary(
      orderedStreams(topology).enumerated().map { ($0.element.name, $0.offset) },
      uniquingKeysWith: { a, _ in a })
    return topology.consumers.enumerated().sorted { left, right in
      let leftRank = rank[left.element.stream] ?? Int.max
      let rightRank = rank[right.element.stream] ?? Int.max
      return leftRank == rightRank ? left.offset < right.offset : leftRank < rightRank
    }.map(\.element)
  }
}
