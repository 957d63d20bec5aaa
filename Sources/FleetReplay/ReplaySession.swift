import CloudEvents
import EventPublishing
import Foundation
import JetStream
import Logging
import StreamTopology

/// The state of one running replay: the in-flight PubAck window in source order, the counts,
/// the checkpoint frontier, rate limiting and progress. Used by one task only.
///
/// Every message becomes an entry in a FIFO: settled at once (skipped, dry run) or pending on
/// its PubAck future. Entries are settled strictly in source order, so the checkpoint position
/// only ever covers messages whose outcome is known. The FIFO never holds more than `window`
/// entries: when it is full the oldest is awaited (a bounded wait: the future fails after the
/// publisher's ack timeout).
final class ReplaySession {
  private enum Outcome {
    case published(streamSequence: UInt64)
    case duplicate
    case validated
    case filtered
    case invalid(reason: String, eventID: String?)
    case failed(reason: String, eventID: String?)
    case ignored
  }

  private struct Pending {
    var publishable: PublishableEvent
    var msgID: String
    var future: JetStreamPubAckFuture?
    var error: (any Error)?
  }

  private enum Entry {
    case settled(UInt64, Outcome)
    case pending(UInt64, Pending)
  }

  let options: ReplayOptions
  let runID: String
  let unit: String
  private let publisher: EventPublisher?
  private let filtersClientSide: Bool
  private let previousCounts: ReplayCounts
  private let logger: Logger
  private var entries: [Entry] = []
  private var head = 0
  private var limiter: ReplayRateLimiter?
  private var sinceCheckpoint = 0

  /// This run's counts.
  private(set) var counts = ReplayCounts()
  /// Messages taken from the source (blank lines excluded), for `maxMessages`.
  private(set) var consumed = 0
  /// The checkpoint position.
  private(set) var frontier: ReplayFrontier
  /// Skipped and failed messages (the first `issueLimit` of each kind).
  private(set) var issues: [ReplayIssue] = []
  private var issueCounts: [ReplayIssue.Kind: Int] = [:]
  /// Progress display.
  var progress: ReplayProgressReporter

  /// Issues kept per kind.
  static let issueLimit = 100

  init(
    options: ReplayOptions, runID: String, publisher: EventPublisher?, filtersClientSide: Bool,
    previous: ReplayCheckpoint?, progress: ReplayProgressReporter, logger: Logger
  ) {
    self.options = options
    self.runID = runID
    self.unit = options.source.positionUnit
    self.publisher = publisher
    self.filtersClientSide = filtersClientSide
    self.previousCounts = previous?.counts ?? ReplayCounts()
    self.frontier = ReplayFrontier(resumingAfter: previous?.position)
    self.progress = progress
    self.logger = logger
    self.limiter = options.rate.map { ReplayRateLimiter(rate: $0) }
  }

  /// The message id of a replayed event: `replay:<run id>:<event id>`.
  static func msgID(runID: String, eventID: String) -> String { "replay:\(runID):\(eventID)" }

  // MARK: intake

  /// Filters, validates and publishes one source message (or records why not).
  ///
  /// - Throws: `CancellationError` when the task is cancelled while waiting for the rate limit.
  func handle(_ item: ReplayItem) async throws {
    switch item.content {
    case .ignored:
      enqueue(.settled(item.position, .ignored))
    case .filtered:
      consumed += 1
      counts.read += 1
      enqueue(.settled(item.position, .filtered))
    case .invalid(let reason, let eventID):
      consumed += 1
      counts.read += 1
      enqueue(.settled(item.position, .invalid(reason: reason, eventID: eventID)))
    case .event(let event, let originalSubject, let failingService):
      consumed += 1
      counts.read += 1
      try await handle(
        event, at: item.position, originalSubject: originalSubject, failingService: failingService)
    }
    await settleReady()
  }

  private func handle(
    _ event: CloudEvent, at position: UInt64, originalSubject: String?, failingService: String?
  )
    async throws
  {
    if filtersClientSide, !options.subjectFilters.isEmpty {
      let subject = originalSubject.map(ReplayTarget.strippingReplayPrefix)
      let selected = subject.map { s in
        options.subjectFilters.contains { SubjectMatch.matches(subject: s, filter: $0) }
      }
      if selected != true {
        enqueue(.settled(position, .filtered))
        return
      }
    }
    let isDeadLetter: Bool
    if case .deadLetters = options.source { isDeadLetter = true } else { isDeadLetter = false }
    let subject: String
    switch options.target.resolve(
      originalSubject: originalSubject, failingService: failingService, deadLetter: isDeadLetter)
    {
    case .success(let resolved): subject = resolved
    case .failure(let problem):
      enqueue(.settled(position, .invalid(reason: problem.description, eventID: event.id)))
      return
    }
    let publishable: PublishableEvent
    do throws(EventPublishingError) {
      publishable = try PublishableEvent(event, subject: subject)
    } catch {
      enqueue(.settled(position, .invalid(reason: error.message, eventID: event.id)))
      return
    }
    guard let publisher else {
      enqueue(.settled(position, .validated))
      return
    }
    if limiter != nil {
      do {
        try await limiter?.wait()
      } catch {
        // Cancelled before publishing: the message was not taken; a resume reads it again.
        consumed -= 1
        counts.read -= 1
        throw error
      }
    }
    var pending = Pending(
      publishable: publishable, msgID: Self.msgID(runID: runID, eventID: event.id), future: nil, error: nil)
    do {
      pending.future = try await Self.publishTaken(publishable, msgID: pending.msgID, with: publisher)
    } catch {
      pending.error = error
    }
    enqueue(.pending(position, pending))
  }

  /// Publishes a message the run has taken (counted as read, past the rate limit), also when the
  /// run is being cancelled: the async window refuses a cancelled task before anything is sent,
  /// and the message would end up `failed` instead of settled. Such a refusal is retried once in a
  /// task of its own, which the run's cancellation does not reach.
  private static func publishTaken(
    _ publishable: PublishableEvent, msgID: String, with publisher: EventPublisher
  ) async throws -> JetStreamPubAckFuture {
    do {
      return try await publisher.publishAsync(publishable, msgId: msgID)
    } catch let error as EventPublishingError where error.cause is CancellationError {
      return try await Task.detached { try await publisher.publishAsync(publishable, msgId: msgID) }.value
    }
  }

  private func enqueue(_ entry: Entry) {
    entries.append(entry)
  }

  // MARK: settling

  /// Settles every entry at the head whose outcome is known, then waits for the oldest while the
  /// window is full.
  private func settleReady() async {
    while head < entries.count {
      if case .pending(_, let pending) = entries[head], let future = pending.future, future.result == nil {
        if entries.count - head < options.window { break }
      }
      await settleHead()
    }
    compact()
  }

  /// Settles everything (the end of the run).
  func settleAll() async {
    while head < entries.count { await settleHead() }
    compact()
  }

  private func compact() {
    if head > 1024 && head * 2 > entries.count {
      entries.removeFirst(head)
      head = 0
    }
  }

  private func settleHead() async {
    let entry = entries[head]
    head += 1
    let position: UInt64
    let outcome: Outcome
    switch entry {
    case .settled(let p, let o):
      position = p
      outcome = o
    case .pending(let p, let pending):
      position = p
      outcome = await resolve(pending, position: p)
    }
    record(outcome, at: position)
  }

  /// Awaits a PubAck, re-publishing (same message id) up to `publishAttempts` times in all.
  private func resolve(_ pending: Pending, position: UInt64) async -> Outcome {
    var result: Result<PubAck, any Error>
    if let future = pending.future {
      result = await Self.outcome(of: future)
    } else {
      result = .failure(pending.error ?? ReplayError(.sourceFailed, "publish not attempted"))
    }
    var attempt = 1
    while case .failure(let error) = result, attempt < options.publishAttempts, let publisher {
      attempt += 1
      logger.notice(
        "publish failed, retrying",
        metadata: [
          "event_id": "\(pending.publishable.event.id)", unit: "\(position)", "attempt": "\(attempt)",
          "error": "\(Self.reason(error))",
        ])
      try? await Task.sleep(for: .milliseconds(200 * (attempt - 1)))
      do {
        let future = try await Self.publishTaken(pending.publishable, msgID: pending.msgID, with: publisher)
        result = await Self.outcome(of: future)
      } catch {
        result = .failure(error)
      }
    }
    switch result {
    case .success(let ack):
      return ack.duplicate ? .duplicate : .published(streamSequence: ack.sequence)
    case .failure(let error):
      return .failed(
        reason: "not acknowledged after \(attempt) attempts: \(Self.reason(error))",
        eventID: pending.publishable.event.id)
    }
  }

  /// The future's result; if this task is cancelled meanwhile, still waits for it (bounded by the
  /// publisher's ack timeout) so the outcome is known before the checkpoint is written.
  private static func outcome(of future: JetStreamPubAckFuture) async -> Result<PubAck, any Error> {
    do {
      return .success(try await future.value())
    } catch is CancellationError {
      return await Task.detached {
        do {
          return Result<PubAck, any Error>.success(try await future.value())
        } catch {
          return .failure(error)
        }
      }.value
    } catch {
      return .failure(error)
    }
  }

  private func record(_ outcome: Outcome, at position: UInt64) {
    var failed = false
    switch outcome {
    case .published(let streamSequence):
      counts.published += 1
      logger.debug("replayed", metadata: [unit: "\(position)", "target_seq": "\(streamSequence)"])
    case .duplicate:
      counts.duplicates += 1
      logger.debug("already in the target stream (duplicate PubAck)", metadata: [unit: "\(position)"])
    case .validated:
      counts.validated += 1
    case .filtered:
      counts.skippedFiltered += 1
    case .invalid(let reason, let eventID):
      counts.skippedInvalid += 1
      addIssue(ReplayIssue(kind: .invalid, position: position, unit: unit, eventID: eventID, reason: reason))
      logger.info("message skipped: not a valid event", metadata: metadata(position, eventID))
    case .failed(let reason, let eventID):
      counts.failed += 1
      failed = true
      addIssue(ReplayIssue(kind: .failed, position: position, unit: unit, eventID: eventID, reason: reason))
      logger.warning(
        "message not replayed", metadata: metadata(position, eventID).merging(["error": "\(reason)"]) { $1 })
    case .ignored:
      break
    }
    frontier.record(position, failed: failed)
    sinceCheckpoint += 1
    if sinceCheckpoint >= options.checkpointInterval {
      sinceCheckpoint = 0
      do {
        try writeCheckpoint(complete: false)
      } catch {
        logger.warning("checkpoint not written", metadata: ["error": "\(error)"])
      }
    }
    progress.update(counts)
  }

  private func metadata(_ position: UInt64, _ eventID: String?) -> Logger.Metadata {
    var metadata: Logger.Metadata = [unit: "\(position)"]
    if let eventID { metadata["event_id"] = "\(eventID)" }
    return metadata
  }

  private func addIssue(_ issue: ReplayIssue) {
    let count = issueCounts[issue.kind, default: 0]
    issueCounts[issue.kind] = count + 1
    if count < Self.issueLimit { issues.append(issue) }
  }

  // MARK: checkpoint

  /// Writes the checkpoint (totals across resumed runs) when a path is configured and this is not
  /// a dry run.
  func writeCheckpoint(complete: Bool) throws(ReplayError) {
    guard let path = options.checkpointPath, !options.dryRun else { return }
    let checkpoint = ReplayCheckpoint(
      runID: runID, source: options.source.description, key: options.checkpointKey,
      position: frontier.position,
      unit: unit, complete: complete, counts: previousCounts + counts,
      updatedAt: ReplayPosition.rfc3339(Date()))
    try checkpoint.save(path: path)
  }

  private static func reason(_ error: any Error) -> String {
    if let error = error as? EventPublishingError, let cause = error.cause { return "\(cause)" }
    return "\(error)"
  }
}
