import JetStream
import Logging
import NATSWire

/// Publishes dead letters to the DLQ stream and waits for the PubAck (`Nats-Msg-Id` = the
/// letter's id, so a retried publish is deduplicated by the stream).
///
/// Retries in-process a few times (bounded) before giving up: on the last delivery a failure here
/// would leave the message undeliverable (max_deliver), so it is worth a short wait.
public struct JetStreamDeadLetterSink: DeadLetterSink {
  let jetStream: JetStreamContext
  let attempts: Int
  let retryWait: Duration
  let logger: Logger

  /// Creates a sink.
  public init(
    jetStream: JetStreamContext, attempts: Int = 5, retryWait: Duration = .milliseconds(500), logger: Logger
  ) {
    self.jetStream = jetStream
    self.attempts = max(1, attempts)
    self.retryWait = retryWait
    self.logger = logger
  }

  public func publish(_ letter: DeadLetter) async throws {
    var headers = NATSHeaders()
    for (name, value) in letter.headers { headers.append(name, value) }
    var options = JetStreamPublishOptions()
    options.msgId = letter.msgId
    var lastError: (any Error)?
    for attempt in 1...attempts {
      do {
        _ = try await jetStream.publish(
          letter.subject, payload: letter.body, headers: headers, options: options)
        return
      } catch {
        lastError = error
        logger.warning(
          "dead letter publish failed",
          metadata: ["dlq_msg_id": "\(letter.msgId)", "attempt": "\(attempt)", "error": "\(error)"])
        if attempt < attempts { try? await Task.sleep(for: retryWait * attempt) }
      }
    }
    throw lastError ?? JetStreamError(.timeout, "dead letter not stored")
  }
}
