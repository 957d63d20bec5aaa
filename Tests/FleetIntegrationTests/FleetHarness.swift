import CloudEvents
import DomainEvents
import FleetTestSupport
import Foundation
import JetStream
import Logging
import NATSWire

/// A whole fleet for end-to-end tests: a real nats-server with its own store, the topology from
/// streams/ applied, and consumer services running in-process with their own SQLite ledgers.
/// Set FLEET_TEST_DEBUG to log at trace level and dump the logs and stream state at shutdown.
final class FleetHarness: FleetFixture, @unchecked Sendable {
  static let orgB = "bbbbbbbb-0000-4000-8000-000000000002"
  private static let debug = ProcessInfo.processInfo.environment["FLEET_TEST_DEBUG"] != nil

  /// `consumerOverrides` are merged into every consumer's config (e.g. a short ack_wait for crash
  /// tests).
  init(consumerOverrides: [String: Any] = [:]) async throws {
    try await super.init(
      clientLabel: "harness", directoryPrefix: "fleet-e2e", serviceLogLevel: Self.debug ? .trace : .info,
      consumerOverrides: consumerOverrides)
  }

  override func shutdown() async {
    if Self.debug {
      for line in logs.all { print("LOG", line) }
      for name in ["CL_PM_EVENTS", "REGISTRATION", "WQ_CHARGE_CAPTURE", "WQ_CARE_TRANSITIONS"] {
        if let raw = try? await jetStream.streamInfoRaw(name) {
          print("STREAM", String(decoding: raw.raw, as: UTF8.self))
        }
      }
      if let raw = try? await jetStream.consumerInfoRaw(stream: "WQ_CHARGE_CAPTURE", name: "charge-capture") {
        print("CONSUMER", String(decoding: raw.raw, as: UTF8.self))
      }
    }
    await super.shutdown()
  }

  /// Publishes an event in binary mode with Nats-Msg-Id = its id (or `msgId`), to `subject` or
  /// else its contract subject.
  @discardableResult
  func publish(_ event: CloudEvent, subject: String? = nil, msgId: String? = nil) async throws -> PubAck {
    let kindSubject = DomainEventKind(cloudEventType: event.type)?.subject
    return try await publish(event, to: subject ?? kindSubject ?? "cl_events.unknown", msgId: msgId)
  }

  /// Publishes raw bytes (for invalid envelopes).
  func publishRaw(_ subject: String, body: [UInt8], headers: NATSHeaders? = nil) async throws {
    var options = JetStreamPublishOptions()
    options.msgId = UUID().uuidString
    _ = try await jetStream.publish(subject, payload: body, headers: headers, options: options)
  }
}
