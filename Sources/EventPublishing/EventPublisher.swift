import CloudEvents
import DomainEvents
import Foundation
import JetStream
import Logging
import NATSWire

/// Publishes CloudEvents to JetStream and waits for the PubAck (DESIGN §1, §4).
///
/// Every event is validated before anything is sent (`PublishableEvent`: the CloudEvents rules
/// and, for a seed type, its contract), goes to its contract subject unless another is given, and
/// travels in binary mode by default with `Nats-Msg-Id` = the event id, so the stream drops a
/// second copy inside its duplicate window. A `duplicate` PubAck is returned as is and logged: the
/// caller sees it.
///
/// For throughput, `publishAsync` keeps up to `maxPending` publishes in flight on JetStream's
/// async window (`JetStreamAsyncPublisher`) and `waitForAll(timeout:)` waits for their PubAcks.
public final class EventPublisher: Sendable {
  /// The JetStream context used for every publish.
  public let jetStream: JetStreamContext
  /// The content mode of published messages.
  public let mode: CloudEventNATSBinding.Mode
  /// Deadline of one PubAck (nil = the client's request timeout) and the no-responders retries.
  public let publishOptions: JetStreamPublishOptions
  /// Whether outbox rows are decoded and validated again before the relay sends them.
  public let revalidatesOutboxMessages: Bool

  let logger: Logger

  /// Creates a publisher.
  ///
  /// - Parameters:
  ///   - jetStream: the JetStream context.
  ///   - mode: binary (default) or structured content mode.
  ///   - publishOptions: deadline and no-responders retries of each publish (`msgId` is ignored:
  ///     the event id or the `msgId` argument of a publish is used).
  ///   - revalidatesOutboxMessages: decode and validate outbox rows again before sending them.
  ///   - logger: receives event ids, subjects and stream sequences; never payloads.
  public init(
    jetStream: JetStreamContext, mode: CloudEventNATSBinding.Mode = .binary,
    publishOptions: JetStreamPublishOptions = JetStreamPublishOptions(), revalidatesOutboxMessages: Bool = true,
    logger: Logger = Logger(label: "event-publisher")
  ) {
    self.jetStream = jetStream
    self.mode = mode
    var options = publishOptions
    options.msgId = nil
    self.publishOptions = options
    self.revalidatesOutboxMessages = revalidatesOutboxMessages
    self.logger = logger
  }

  /// Validates `event`, publishes it and waits for the PubAck.
  ///
  /// - Parameters:
  ///   - event: the event.
  ///   - subject: the subject; `nil` means the contract's subject (required for unknown types).
  ///   - msgId: the `Nats-Msg-Id`; `nil` means the event id.
  /// - Returns: the PubAck; `duplicate` is true when the stream already had this message id.
  /// - Throws: `EventPublishingError`: `.invalidEvent`, `.unknownSubject`, `.invalidSubject`
  ///   before anything is sent; `.publishFailed` (the `cause` is the JetStream or NATS error).
  @discardableResult
  public func publish(_ event: CloudEvent, subject: String? = nil, msgId: String? = nil) async throws -> PubAck {
    try await publish(try PublishableEvent(event, subject: subject), msgId: msgId)
  }

  /// Publishes an already validated event and waits for the PubAck.
  @discardableResult
  public func publish(_ publishable: PublishableEvent, msgId: String? = nil) async throws -> PubAck {
    let (headers, body) = try CloudEventMessage.encode(publishable.event, mode: mode, msgId: msgId)
    return try await send(subject: publishable.subject, headers: headers, body: body, eventID: publishable.event.id)
  }

  /// Sends encoded headers and body and waits for the PubAck; wraps failures with the event id.
  func send(subject: String, headers: NATSHeaders, body: [UInt8], eventID: String) async throws -> PubAck {
    let ack: PubAck
    do {
      ack = try await jetStream.publish(subject, payload: body, headers: headers, options: publishOptions)
    } catch {
      throw EventPublishingError(
        .publishFailed, "event \(PublishableEvent.shown(eventID)) on \(subject): no PubAck", cause: error)
    }
    report(ack, eventID: eventID, subject: subject)
    return ack
  }

  /// Logs a PubAck by ids; a duplicate is logged at notice level so it is never silent.
  func report(_ ack: PubAck, eventID: String, subject: String) {
    let metadata: Logger.Metadata = [
      "event_id": "\(eventID)", "subject": "\(subject)", "stream": "\(ack.stream)", "stream_seq": "\(ack.sequence)",
    ]
    if ack.duplicate {
      logger.notice("event already in the stream (duplicate PubAck)", metadata: metadata)
    } else {
      logger.debug("event published", metadata: metadata)
    }
  }
}

extension EventPublisher: OutboxMessagePublisher {
  /// Publishes a stored outbox row with its stored headers and body (`Nats-Msg-Id` = its event id),
  /// after decoding and validating it again when `revalidatesOutboxMessages` is set.
  public func publish(_ message: OutboxMessage) async throws -> EventPublishReceipt {
    if revalidatesOutboxMessages {
      let event: CloudEvent
      do throws(CloudEventDecodingError) {
        event = try CloudEventMessage.decode(headers: message.headers, payload: message.body)
      } catch {
        throw EventPublishingError(
          .undecodable, "outbox row \(message.seq) (event \(PublishableEvent.shown(message.eventID))): \(error.reason)",
          cause: error)
      }
      guard event.id == message.eventID else {
        throw EventPublishingError(
          .undecodable,
          "outbox row \(message.seq) (event \(PublishableEvent.shown(message.eventID))): the stored ce-id differs "
            + "from event_id")
      }
      _ = try PublishableEvent(event, subject: message.subject)
    }
    var headers = message.headers
    headers[NATSHeaders.Name.msgId] = message.eventID
    let ack = try await send(subject: message.subject, headers: headers, body: message.body, eventID: message.eventID)
    return EventPublishReceipt(stream: ack.stream, streamSequence: ack.sequence, duplicate: ack.duplicate)
  }
}
