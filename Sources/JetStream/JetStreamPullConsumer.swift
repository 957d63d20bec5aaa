/// A handle on a pull consumer: fetch batches or consume continuously, read its info.
public struct JetStreamPullConsumer: Sendable {
  /// The JetStream context.
  public let context: JetStreamContext
  /// The stream.
  public let stream: String
  /// The consumer's name.
  public let name: String

  /// The subject pull requests go to.
  public var nextSubject: String { context.apiSubject("CONSUMER.MSG.NEXT.\(stream).\(name)") }

  /// The consumer's current info.
  public func info() async throws -> ConsumerInfo {
    try await context.consumerInfo(stream: stream, name: name)
  }

  /// Sends one pull request and returns its messages. The sequence ends when `batch` messages (or
  /// `maxBytes`) arrived, on 404 No Messages (`noWait`), on 408 Request Timeout, or when
  /// `expires` (plus a second of grace) has passed. With `heartbeat`, missing heartbeats for twice
  /// that long end it with `JetStreamError(.noHeartbeat)`.
  public func fetch(
    batch: Int, maxBytes: Int? = nil, expires: Duration = .seconds(5), noWait: Bool = false,
    heartbeat: Duration? = nil
  ) async throws -> JetStreamPullMessages {
    try Self.validate(batch: batch, expires: expires, heartbeat: heartbeat)
    let configuration = PullConsumerStateMachine.Configuration(
      mode: .fetch, batch: batch, maxBytes: maxBytes, expires: expires, heartbeat: heartbeat, noWait: noWait)
    let driver = PullSubscriptionDriver(
      client: context.client, nextSubject: nextSubject, configuration: configuration, logger: context.logger)
    try await driver.start(observeConnection: false)
    return JetStreamPullMessages(driver: driver)
  }

  /// Consumes continuously: keeps up to `batch` messages requested or buffered, refilling when
  /// fewer than half remain; each request lives `expires`; idle heartbeats (default the smaller of
  /// 5 s and `expires / 2`) detect lost requests. Re-pulls after 408, 409 Leadership Change /
  /// Exceeded MaxWaiting, missed heartbeats and reconnects; ends with an error on 409 Consumer
  /// Deleted or "Consumer is push based". Call `stop()` on the result to end it.
  public func consume(
    batch: Int = 500, maxBytes: Int? = nil, expires: Duration = .seconds(30), heartbeat: Duration? = nil
  ) async throws -> JetStreamPullMessages {
    let heartbeat = heartbeat ?? min(.seconds(5), expires / 2)
    try Self.validate(batch: batch, expires: expires, heartbeat: heartbeat)
    let configuration = PullConsumerStateMachine.Configuration(
      mode: .consume, batch: batch, maxBytes: maxBytes, expires: expires, heartbeat: heartbeat)
    let driver = PullSubscriptionDriver(
      client: context.client, nextSubject: nextSubject, configuration: configuration, logger: context.logger)
    try await driver.start(observeConnection: true)
    return JetStreamPullMessages(driver: driver)
  }

  static func validate(batch: Int, expires: Duration, heartbeat: Duration?) throws {
    guard batch > 0 else { throw JetStreamError(.invalidArgument, "batch must be positive") }
    guard expires > .zero else { throw JetStreamError(.invalidArgument, "expires must be positive") }
    if let heartbeat, heartbeat * 2 > expires {
      throw JetStreamError(
        .invalidArgument, "heartbeat \(heartbeat) must be at most half of expires \(expires)")
    }
  }
}
