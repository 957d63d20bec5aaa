import Foundation
import JetStream
import Logging
import NATSWire

/// Reads a stream range with an ephemeral pull consumer: `ack_policy` none, in-memory, one
/// replica, `deliver_policy` by start sequence or time, the subject filters, a short
/// `inactive_threshold` (the server removes it if the replay dies), fetched in no-wait batches.
///
/// The range ends at `end` (sequence or stored time, inclusive) or at the stream's last sequence
/// when the reader opened, so a replay is bounded even while producers keep publishing. A gap in
/// consumer sequences or a vanished consumer (inactive threshold, server restart) recreates the
/// consumer right after the last message read, a bounded number of times in a row.
final class StreamReplayReader {
  /// One stored message.
  struct Record: Sendable {
    var sequence: UInt64
    var subject: String
    var headers: NATSHeaders?
    var payload: [UInt8]
  }

  let jetStream: JetStreamContext
  let stream: String
  let filters: [String]
  let batchSize: Int
  let logger: Logger
  let consumerName: String

  private var start: ReplayPosition
  private var endSequence: UInt64?
  private var endTime: Int64?
  private var lastSequence: UInt64?
  private var expectedConsumerSequence: UInt64 = 1
  private var buffer: [Record] = []
  private var bufferIndex = 0
  private var finished = false
  private var consumer: JetStreamPullConsumer?
  private var recreations = 0

  /// Consumers recreated in a row before the reader gives up.
  static let maxRecreations = 5
  /// How long the server keeps the consumer without pull requests.
  static let inactiveThreshold: Duration = .seconds(30)

  init(
    jetStream: JetStreamContext, stream: String, start: ReplayPosition, end: ReplayPosition?,
    filters: [String],
    batchSize: Int, consumerName: String, logger: Logger
  ) {
    self.jetStream = jetStream
    self.stream = stream
    self.start = start
    self.filters = filters
    self.batchSize = batchSize
    self.consumerName = consumerName
    self.logger = logger
    switch end {
    case .sequence(let sequence): endSequence = sequence
    case .time(let date): endTime = ReplayPosition.nanoseconds(date)
    case nil: break
    }
  }

  /// Reads the stream's last sequence (the range's end unless one was given) and creates the
  /// consumer. Returns the number of messages the consumer has pending (an upper bound).
  ///
  /// - Throws: `ReplayError(.sourceUnavailable)` when the stream or consumer cannot be reached.
  func open() async throws(ReplayError) -> UInt64 {
    let info: StreamInfo
    do {
      info = try await jetStream.streamInfo(stream)
    } catch {
      throw ReplayError(.sourceUnavailable, "stream \(stream) is not available", cause: error)
    }
    let last = info.state.lastSequence
    endSequence = min(endSequence ?? last, last)
    if info.state.messages == 0 || (endSequence ?? 0) == 0 {
      finished = true
      return 0
    }
    if case .sequence(let first) = start, first > (endSequence ?? 0) {
      finished = true
      return 0
    }
    do {
      let pending = try await createConsumer()
      if case .sequence(let first) = start, let endSequence {
        return min(pending, endSequence - first + 1)
      }
      return pending
    } catch {
      throw ReplayError(.sourceUnavailable, "cannot create a replay consumer on \(stream)", cause: error)
    }
  }

  /// The next message of the range, or `nil` at its end.
  func next() async throws -> Record? {
    while true {
      if bufferIndex < buffer.count {
        let record = buffer[bufferIndex]
        bufferIndex += 1
        return record
      }
      if finished { return nil }
      try await fill()
    }
  }

  /// Deletes the consumer (best effort; the inactive threshold removes it otherwise).
  func close() async {
    guard consumer != nil else { return }
    let jetStream = jetStream
    let stream = stream
    let name = consumerName
    // A detached task: a cancelled replay still removes its consumer.
    await Task.detached {
      do {
        try await jetStream.deleteConsumer(stream: stream, name: name)
      } catch {
        // The inactive threshold removes it.
      }
    }.value
  }

  // MARK: private

  private func createConsumer() async throws -> UInt64 {
    var config = ConsumerConfig(durableName: nil, ackPolicy: AckPolicy.none)
    config.name = consumerName
    config.description = "fleet replay (ephemeral)"
    switch start {
    case .sequence(let sequence):
      config.deliverPolicy = .byStartSequence
      config.optStartSeq = sequence
    case .time(let date):
      config.deliverPolicy = .byStartTime
      config.optStartTime = ReplayPosition.rfc3339(date)
    }
    if filters.count == 1 {
      config.filterSubject = filters[0]
    } else if filters.count > 1 {
      config.filterSubjects = filters
    }
    config.replayPolicy = .instant
    config.inactiveThreshold = Self.nanoseconds(Self.inactiveThreshold)
    config.memStorage = true
    config.numReplicas = 1
    let info = try await jetStream.createOrUpdateConsumer(stream: stream, config: config)
    consumer = try jetStream.pullConsumer(stream: stream, name: consumerName)
    expectedConsumerSequence = 1
    logger.debug(
      "replay consumer created",
      metadata: [
        "stream": "\(stream)", "consumer": "\(consumerName)", "start": "\(start)",
        "pending": "\(info.numPending)",
      ])
    return info.numPending
  }

  /// Fetches the next batch into the buffer, or marks the end.
  private func fill() async throws {
    buffer.removeAll(keepingCapacity: true)
    bufferIndex = 0
    guard let consumer else {
      finished = true
      return
    }
    var received = 0
    var restart = false
    do {
      let messages = try await consumer.fetch(batch: batchSize, expires: .seconds(5), noWait: true)
      for try await message in messages {
        received += 1
        guard !restart, !finished else { continue }
        guard let metadata = message.metadata else {
          throw ReplayError(.sourceFailed, "a message from \(stream) has no JetStream metadata")
        }
        if metadata.consumerSequence != expectedConsumerSequence {
          logger.notice(
            "replay consumer skipped ahead; recreating it",
            metadata: ["expected": "\(expectedConsumerSequence)", "got": "\(metadata.consumerSequence)"])
          restart = true
          continue
        }
        expectedConsumerSequence += 1
        if let endSequence, metadata.streamSequence > endSequence {
          finished = true
          continue
        }
        if let endTime, metadata.timestamp > endTime {
          finished = true
          continue
        }
        buffer.append(
          Record(
            sequence: metadata.streamSequence, subject: message.subject, headers: message.headers,
            payload: message.payloadBytes))
        lastSequence = metadata.streamSequence
        if metadata.pending == 0 || metadata.streamSequence >= (endSequence ?? UInt64.max) {
          finished = true
        }
      }
    } catch let error as ReplayError {
      throw error
    } catch let error as CancellationError {
      throw error
    } catch let error as JetStreamError where error.code == .consumerDeleted {
      restart = true
    } catch let error as JetStreamAPIError where error.errorCode == JetStreamAPIError.Code.consumerNotFound {
      restart = true
    } catch {
      if Task.isCancelled { throw CancellationError() }
      logger.notice("replay fetch failed; recreating the consumer", metadata: ["error": "\(error)"])
      restart = true
    }
    if restart {
      try await recreate()
      return
    }
    recreations = 0
    if received == 0 { finished = true }
  }

  private func recreate() async throws {
    recreations += 1
    guard recreations <= Self.maxRecreations else {
      throw ReplayError(
        .sourceFailed, "the replay consumer on \(stream) failed \(Self.maxRecreations) times in a row")
    }
    if let lastSequence { start = .sequence(lastSequence + 1) }
    if let endSequence, case .sequence(let first) = start, first > endSequence {
      finished = true
      return
    }
    try? await jetStream.deleteConsumer(stream: stream, name: consumerName)
    if recreations > 1 { try await Task.sleep(for: .milliseconds(250 * recreations)) }
    _ = try await createConsumer()
  }

  private static func nanoseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
  }
}
