import NATS
import NATSWire
import NIOCore

extension JetStreamContext {
  /// Publishes to a stream subject and waits for the PubAck.
  ///
  /// A 503 "no responders" (no stream, or a stream between leaders) is retried
  /// `options.retryAttempts` times, `options.retryWait` apart; then it throws
  /// `JetStreamError(.noResponders)`. An `{"error": …}` PubAck throws `JetStreamAPIError`
  /// (for example 10071 when `expectedLastSequence` does not match).
  public func publish<Bytes: Collection & Sendable>(
    _ subject: String, payload: Bytes, headers: NATSHeaders? = nil,
    options: JetStreamPublishOptions = JetStreamPublishOptions()
  ) async throws -> PubAck where Bytes.Element == UInt8 {
    let headers = options.applied(to: headers)
    let timeout = options.timeout ?? client.options.requestTimeout
    var attempt = 0
    while true {
      let reply: NATSMessage
      do {
        reply = try await client.request(subject, payload: payload, headers: headers, timeout: timeout)
      } catch let error as NATSError where error.code == .noResponders {
        if attempt < options.retryAttempts {
          attempt += 1
          logger.debug("jetstream publish: no responders on '\(subject)', retry \(attempt)")
          try await Task.sleep(for: options.retryWait)
          continue
        }
        throw JetStreamError(
          .noResponders, "no stream answered on '\(subject)' after \(attempt + 1) attempts", cause: error)
      } catch let error as NATSError where error.code == .timeout {
        throw JetStreamError(.timeout, "no PubAck on '\(subject)' within \(timeout)", cause: error)
      }
      return try PubAck.decode(reply.payload)
    }
  }

  /// Publishes a UTF-8 string and waits for the PubAck.
  public func publish(
    _ subject: String, string: String, headers: NATSHeaders? = nil,
    options: JetStreamPublishOptions = JetStreamPublishOptions()
  ) async throws -> PubAck {
    try await publish(subject, payload: Array(string.utf8), headers: headers, options: options)
  }

  /// A publisher with a bounded window of un-acknowledged messages (see `JetStreamAsyncPublisher`).
  public func asyncPublisher(
    maxPending: Int = JetStreamAsyncPublisher.defaultMaxPending, ackTimeout: Duration = .seconds(5)
  ) throws -> JetStreamAsyncPublisher {
    try JetStreamAsyncPublisher(context: self, maxPending: maxPending, ackTimeout: ackTimeout)
  }
}
