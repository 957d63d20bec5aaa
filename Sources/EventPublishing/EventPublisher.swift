import CloudEvents
import DomainEvents
import Foundation
import JetStream
import Logging
import NATSWire
import Synchronization

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

  /// The async window: unacknowledged `publishAsync` messages at most.
  public let asyncWindow: Int
  /// How long an async publish may wait for its PubAck (while connected) before its future fails.
  public let asyncAckTimeout: Duration

  let logger: Logger
  private let asyncPublisher = Mutex<JetStreamAsyncPublisher?>(nil)

  /// Creates a publisher.
  ///
  /// - Parameters:
  ///   - jetStream: the JetStream context.
  ///   - mode: binary (default) or structured content mode.
  ///   - publishOptions: deadline and no-responders retries of each publish (`msgId` is ignored:
  ///     the event id or the `msgId` argument of a publish is used).
  ///   - revalidatesOutboxMessages: decode and validate outbox rows again before sending them.
  ///   - asyncWindow: unacknowledged `publishAsync` messages at most (JetStream's default 4000).
  ///   - asyncAckTimeout: the PubAck deadline of an async publish.
  ///   - logger: receives event ids, subjects and stream sequences; never payloads.
  public init(
    jetStream: JetStreamContext, mode: CloudEventNATSBinding.Mode = .binary,
    publishOptions: JetStreamPublishOptions = JetStreamPublishOptions(),
    revalidatesOutboxMessages: Bool = true,
    asyncWindow: Int = JetStreamAsyncPublisher.defaultMaxPending, asyncAckTimeout: Duration = .seconds(5),
    logger: Logger = Logger(label: "event-publisher")
  ) {
    self.asyncWindow = max(asyncWindow, 1)
    self.asyncAckTimeout = asyncAckTimeout > .zero ? asyncAckTimeout : .seconds(5)
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
  public func publish(_ event: CloudEvent, subject: String? = nil, msgId: String? = nil) async throws
    -> PubAck
  {
    try await publish(try PublishableEvent(event, subject: subject), msgId: msgId)
  }

  /// Publishes an already validated event and waits for the PubAck.
  @discardableResult
  public func publish(_ publishable: PublishableEvent, msgId: String? = nil) async throws -> PubAck {
    let (headers, body) = try CloudEventMessage.encode(publishable.event, mode: mode, msgId: msgId)
    return try await send(
      subject: publishable.subject, headers: headers, body: body, eventID: publishable.event.id)
  }

  // MARK: async window

  /// Validates `event` and publishes it without waiting for the PubAck; waits for a slot while
  /// `asyncWindow` messages are unacknowledged.
  ///
  /// - Returns: the future PubAck (`msgId` = the `Nats-Msg-Id`); it fails after `asyncAckTimeout`
  ///   without an answer. After a reconnect JetStream re-sends the unacknowledged window with the same
  ///   message ids, so a message that did arrive comes back as a `duplicate` PubAck.
  /// - Throws: `EventPublishingError`: `.invalidEvent`, `.unknownSubject`, `.invalidSubject` before
  ///   anything is sent; `.publishFailed` when the window or the connection refuses the message.
  public func publishAsync(_ event: CloudEvent, subject: String? = nil, msgId: String? = nil) async throws
    -> JetStreamPubAckFuture
  {
    try await publishAsync(try PublishableEvent(event, subject: subject), msgId: msgId)
  }

  /// Publishes an already validated event without waiting for the PubAck.
  public func publishAsync(_ publishable: PublishableEvent, msgId: String? = nil) async throws
    -> JetStreamPubAckFuture
  {
    let (headers, body) = try CloudEventMessage.encode(publishable.event, mode: mode, msgId: msgId)
    var options = JetStreamPublishOptions()
    options.msgId = headers[NATSHeaders.Name.msgId]
    do {
      return try await windowPublisher().publish(
        publishable.subject, payload: body, headers: headers, options: options)
    } catch {
      throw EventPublishingError(
        .publishFailed,
        "event \(PublishableEvent.shown(publishable.event.id)) on \(publishable.subject): not accepted by the "
          + "async window", cause: error)
    }
  }

  /// Waits until every `publishAsync` message is acknowledged or failed.
  ///
  /// - Throws: `JetStreamError(.timeout)` when some are still pending after `timeout`.
  public func waitForAll(timeout: Duration) async throws {
    guard let window = asyncPublisher.withLock({ $0 }) else { return }
    try await window.waitForAll(timeout: timeout)
  }

  /// Messages published with `publishAsync` and not yet acknowledged.
  public var pendingAsyncCount: Int { asyncPublisher.withLock { $0?.pendingCount ?? 0 } }

  /// Closes the async window: its inbox subscription ends and unacknowledged futures fail with
  /// `JetStreamError(.closed)`. A later `publishAsync` opens a new window.
  public func close() async {
    let window = asyncPublisher.withLock { current -> JetStreamAsyncPublisher? in
      defer { current = nil }
      return current
    }
    await window?.close()
  }

  /// The async window, created on first use (it subscribes to its ack inbox).
  private func windowPublisher() throws -> JetStreamAsyncPublisher {
    try asyncPublisher.withLock { current in
      if let current { return current }
      let created = try JetStreamAsyncPublisher(
        context: jetStream, maxPending: asyncWindow, ackTimeout: asyncAckTimeout,
        retryAttempts: publishOptions.retryAttempts, retryWait: publishOptions.retryWait)
      current = created
      return created
    }
  }

  // MARK: sending

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
      "event_id": "\(eventID)", "subject": "\(subject)", "stream": "\(ack.stream)",
      "stream_seq": "\(ack.sequence)",
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
          .undecodable,
          "outbox row \(message.seq) (event \(PublishableEvent.shown(message.eventID))): \(error.reason)",
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
    let ack = try await send(
      subject: message.subject, headers: headers, body: message.body, eventID: message.eventID)
    return EventPublishReceipt(stream: ack.stream, streamSequence: ack.sequence, duplicate: ack.duplicate)
  }
}
