import EventPublishing
import Foundation
import JetStream
import Logging
import StreamTopology

/// Runs `fleet replay`: reads a history stream range, a JSON-lines file or the DLQ, and
/// republishes each event with a fresh message id (`replay:<run id>:<event id>`, DESIGN §4,
/// nats-server#5142) to its original subject, one subject, or one service's replay subject.
///
/// Publishing goes through the async PubAck window; every PubAck is checked, a failed publish is
/// retried (same message id) and then counted as failed, never skipped silently. The consumers'
/// ledgers decide duplicates, so replaying a range twice changes no effect. Progress is shown as a
/// bar on a terminal and as periodic lines otherwise; a checkpoint makes the run resumable with the
/// same run id. Logs carry event ids and positions, never payloads.
public struct ReplayRunner: Sendable {
  /// The JetStream context used for reading and publishing.
  public let jetStream: JetStreamContext
  /// Receives run, event ids and positions.
  public let logger: Logger
  /// Where progress text goes (standard output by default).
  public let progressOutput: @Sendable (String) -> Void

  /// Writes text to standard output as is.
  public static let standardOutput: @Sendable (String) -> Void = { text in
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Creates a runner.
  public init(
    jetStream: JetStreamContext, logger: Logger = Logger(label: "fleet-replay"),
    progressOutput: @escaping @Sendable (String) -> Void = ReplayRunner.standardOutput
  ) {
    self.jetStream = jetStream
    self.logger = logger
    self.progressOutput = progressOutput
  }

  /// Runs one replay with a default runner (see `run(_:)`).
  public static func run(
    _ options: ReplayOptions, jetStream: JetStreamContext, logger: Logger = Logger(label: "fleet-replay")
  ) async throws -> ReplaySummary {
    try await ReplayRunner(jetStream: jetStream, logger: logger).run(options)
  }

  /// Runs one replay to the end of its source, to `maxMessages`, or until the task is cancelled
  /// (in-flight PubAcks are still awaited and the checkpoint written, so `--resume` continues).
  ///
  /// - Returns: the summary; `exitCode` is 1 when any message failed.
  /// - Throws: `ReplayError` when the options, the checkpoint, the source or the target are
  ///   unusable (before anything is published), or when the source fails mid-way (after the
  ///   checkpoint is written).
  public func run(_ options: ReplayOptions) async throws -> ReplaySummary {
    try options.validate()
    let started = ContinuousClock.now
    let previous = try loadCheckpoint(options)
    let runID = previous?.runID ?? options.runID ?? Self.makeRunID()
    var logger = self.logger
    logger[metadataKey: "run_id"] = "\(runID)"
    let unit = options.source.positionUnit

    if let previous, previous.complete {
      logger.notice("the checkpoint records a complete run; nothing to replay")
      return ReplaySummary(
        runID: runID, source: options.source.description, target: options.target.description,
        dryRun: options.dryRun, resumed: true, ending: .alreadyComplete, counts: ReplayCounts(),
        lastPosition: previous.position, unit: unit, issues: [], warnings: [],
        elapsed: ContinuousClock.now - started)
    }

    let warnings = try await preflight(options)
    for warning in warnings { logger.warning("\(warning)") }
    logger.notice(
      "replay starting",
      metadata: [
        "source": "\(options.source)", "target": "\(options.target)", "dry_run": "\(options.dryRun)",
        "resume_after": "\(previous?.position.map { "\($0)" } ?? "-")",
      ])

    let (reader, total) = try await ReplayReader.open(
      options, resumeAfter: previous?.position, jetStream: jetStream,
      consumerName: Self.consumerName(runID: runID), logger: logger)
    let publisher =
      options.dryRun
      ? nil
      : EventPublisher(
        jetStream: jetStream, mode: options.mode,
        publishOptions: JetStreamPublishOptions(timeout: options.ackTimeout),
        asyncWindow: options.window, asyncAckTimeout: options.ackTimeout, logger: logger)
    var progress = ReplayProgressReporter(style: options.progress, write: progressOutput)
    progress.total = total
    let session = ReplaySession(
      options: options, runID: runID, publisher: publisher, filtersClientSide: reader.filtersClientSide,
      previous: previous, progress: progress, logger: logger)

    var ending = ReplaySummary.Ending.complete
    var sourceError: (any Error)?
    while true {
      if Task.isCancelled {
        ending = .cancelled
        break
      }
      if let limit = options.maxMessages, session.consumed >= limit {
        ending = .stoppedAtLimit
        break
      }
      let item: ReplayItem?
      do {
        item = try await reader.next()
      } catch is CancellationError {
        ending = .cancelled
        break
      } catch {
        sourceError = error
        break
      }
      guard let item else { break }
      do {
        try await session.handle(item)
      } catch {
        ending = .cancelled
        break
      }
    }

    await session.settleAll()
    await publisher?.close()
    await reader.close()
    try session.writeCheckpoint(complete: ending == .complete && sourceError == nil)
    session.progress.finish(session.counts)

    if let sourceError {
      logger.error(
        "source failed; the checkpoint holds the last completed position",
        metadata: ["position": "\(session.frontier.position.map { "\($0)" } ?? "-")"])
      if let error = sourceError as? ReplayError { throw error }
      throw ReplayError(.sourceFailed, "reading \(options.source) failed", cause: sourceError)
    }
    let summary = ReplaySummary(
      runID: runID, source: options.source.description, target: options.target.description,
      dryRun: options.dryRun,
      resumed: previous != nil, ending: ending, counts: session.counts,
      lastPosition: session.frontier.position,
      unit: unit, issues: session.issues, warnings: warnings, elapsed: ContinuousClock.now - started)
    logger.notice(
      "replay finished",
      metadata: [
        "ending": "\(ending.rawValue)", "read": "\(summary.counts.read)",
        "published": "\(summary.counts.published)",
        "duplicates": "\(summary.counts.duplicates)", "skipped": "\(summary.counts.skipped)",
        "failed": "\(summary.counts.failed)",
      ])
    return summary
  }

  // MARK: steps

  private func loadCheckpoint(_ options: ReplayOptions) throws(ReplayError) -> ReplayCheckpoint? {
    guard options.resume, let path = options.checkpointPath else { return nil }
    let checkpoint = try ReplayCheckpoint.load(path: path)
    guard checkpoint.key == options.checkpointKey else {
      throw ReplayError(
        .checkpoint,
        "\(path) belongs to another replay (\(checkpoint.source); \(checkpoint.key)); give the same source, "
          + "filters and target, or start without --resume")
    }
    if let runID = options.runID, runID != checkpoint.runID {
      throw ReplayError(.checkpoint, "\(path) is run \(checkpoint.runID), not \(runID)")
    }
    return checkpoint
  }

  /// Checks that the target can store anything and returns the warnings to show.
  func preflight(_ options: ReplayOptions) async throws(ReplayError) -> [String] {
    var warnings: [String] = []
    if options.target.fansOut(for: options.source) {
      var warning =
        "publishing to the original subjects: every service that consumes them receives these events again "
        + "(their ledgers skip what was already processed); use --to-service NAME to reach one service"
      if let reached = reachedWorkStreams(options), !reached.isEmpty {
        warning += " (work streams reached: \(reached.joined(separator: ", ")))"
      }
      warnings.append(warning)
    }
    let probe: String?
    switch options.target {
    case .subject(let subject): probe = subject
    case .service(let service):
      probe = ReplayTarget.replaySubject(service: service, originalSubject: "probe")
      if let topology = options.topology, topology.workStreams(receiving: probe ?? "").isEmpty {
        throw ReplayError(
          .targetUnavailable,
          "no work stream in streams/ captures \(ReplayTarget.replayPrefix).\(service).> (add it to WQ_<SERVICE>.json)"
        )
      }
    case .automatic, .original: probe = nil
    }
    if let probe {
      let names: [String]
      do {
        names = try await jetStream.streamNames(subject: probe)
      } catch {
        throw ReplayError(.targetUnavailable, "cannot list the streams storing \(probe)", cause: error)
      }
      if names.isEmpty {
        let message = "no stream stores \(probe); nothing could be published there"
        if options.dryRun {
          warnings.append(message)
        } else {
          throw ReplayError(.targetUnavailable, message)
        }
      }
    }
    return warnings
  }

  /// The work streams a fan-out reaches, when the topology is known.
  private func reachedWorkStreams(_ options: ReplayOptions) -> [String]? {
    guard let topology = options.topology else { return nil }
    let filters = options.subjectFilters
    var upstream: String?
    if case .stream(let range) = options.source { upstream = range.stream }
    return topology.streams.filter { stream in
      stream.isWorkQueue
        && stream.sourcedSubjects.contains { source in
          (upstream == nil || source.stream == upstream)
            && (filters.isEmpty || filters.contains { SubjectMatch.overlaps($0, source.subject) })
        }
    }.map(\.name).sorted()
  }

  // MARK: ids

  /// A new run id: UTC time and 8 random hex digits (`20261121T100000-1a2b3c4d`).
  public static func makeRunID(now: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss"
    let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return formatter.string(from: now) + "-" + String(repeating: "0", count: 8 - random.count) + random
  }

  /// The ephemeral consumer's name: `replay-<run id>-<4 hex>` (a concurrent resume gets its own).
  static func consumerName(runID: String) -> String {
    let random = String(UInt16.random(in: 0...UInt16.max), radix: 16)
    return "replay-\(runID.prefix(48))-\(random)"
  }
}
