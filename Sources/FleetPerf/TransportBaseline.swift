import ConsumerRuntime
import Foundation
import JetStream
import Logging
import NATS

/// The transport alone: the service's work queue drained through its own durable consumer, with
/// the service's pull settings, each message acknowledged (`+ACK`) without being processed.
///
/// It measures what NATS (this client and nats-server, the same topology and event sizes) can
/// deliver to one replica, and what that costs both processes per event at that rate, so the
/// service's own cost can be told apart from the server's. The clock runs from the `consume`
/// call until the work stream is empty (every ack processed by the server), as in the peer
/// harness's js_pull_ack.
public struct TransportBaseline: Sendable, Codable, Equatable {
  /// Messages drained.
  public var events: Int
  /// From the `consume` call until the work stream held no more messages, seconds.
  public var seconds: Double
  /// `events / seconds`.
  public var eventsPerSecond: Double
  /// CPU (user + system) of the benchmark process per event over that time, µs.
  public var clientCPUMicrosecondsPerEvent: Double
  /// The same for nats-server, when its pid is known.
  public var serverCPUMicrosecondsPerEvent: Double?

  /// One line for people.
  public var text: String {
    var line = String(
      format:
        "transport alone (the same work queue and durable, each event acked unprocessed): %d events in %.2f s = %.0f events/s; CPU per event: this process %.1f µs",
      events, seconds, eventsPerSecond, clientCPUMicrosecondsPerEvent)
    if let server = serverCPUMicrosecondsPerEvent {
      line += String(format: ", nats-server %.1f µs", server)
    }
    return line
  }

  /// Drains `count` messages from `binding`'s durable (which must hold at least that many) and
  /// waits until the stream is empty. Bounded by `deadline`.
  static func measure(
    count: Int, binding: WorkStreamBinding, batchSize: Int, client options: NATSClientOptions,
    serverPID: Int32?, deadline: ContinuousClock.Instant, logger: Logger
  ) async throws -> TransportBaseline {
    var clientOptions = options
    clientOptions.name = "fleet-benchmark-transport"
    let client = try await NATSClient.connect(clientOptions, logger: logger)
    let jetStream = JetStreamContext(client: client, timeout: .seconds(10), logger: logger)
    do {
      let consumer = try jetStream.pullConsumer(stream: binding.stream, name: binding.consumer)
      let cpu = CPUSpan(serverPID: serverPID)
      let start = ContinuousClock.now
      let messages = try await consumer.consume(
        batch: batchSize, expires: .seconds(30), heartbeat: .seconds(5))
      var iterator = messages.makeAsyncIterator()
      var acked = 0
      let receiving = Task {
        try await Task.sleep(until: deadline)
        messages.stop()
      }
      defer { receiving.cancel() }
      while acked < count {
        let batch = try await iterator.nextBatch(max: batchSize)
        if batch.isEmpty {
          throw PerfError(.timeout, "transport baseline: \(acked) of \(count) messages before the deadline")
        }
        for message in batch { try await message.ack() }
        acked += batch.count
      }
      messages.stop()
      try await FleetBenchmark.waitFor(
        "\(binding.stream) to be empty after the transport baseline", deadline: deadline,
        timeout: .seconds(60),
        interval: .milliseconds(2)
      ) {
        try await jetStream.streamInfo(binding.stream).state.messages == 0
      }
      let seconds = FleetBenchmark.seconds(ContinuousClock.now - start)
      let cpuPerEvent = cpu.microsecondsPerEvent(acked)
      await client.close()
      return TransportBaseline(
        events: acked, seconds: seconds, eventsPerSecond: seconds > 0 ? Double(acked) / seconds : 0,
        clientCPUMicrosecondsPerEvent: cpuPerEvent.own, serverCPUMicrosecondsPerEvent: cpuPerEvent.server)
    } catch {
      await client.close()
      throw error
    }
  }
}
