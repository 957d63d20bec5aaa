import CloudEvents
import JetStream
import Logging

/// Publishes a JSON-lines input: one structured-mode CloudEvent (`application/cloudevents+json`)
/// per line, as `fleet publish --file F` does.
///
/// Each line is decoded (`CloudEventJSONFormat`) and validated (`PublishableEvent`: CloudEvents
/// rules, and the seed contract when the type is known) on its own. Bad lines are reported with
/// their 1-based line number and the reason and never stop the good ones; valid lines go through
/// the publisher's async window, and every PubAck is awaited before `run` returns. Blank lines are
/// skipped (and still numbered).
public struct JSONLinesPublisher: Sendable {
  /// The publisher used for the valid lines.
  public let publisher: EventPublisher
  /// The subject for every line; `nil` means each event's contract subject.
  public let subject: String?

  private let logger: Logger

  /// Creates a JSON-lines publisher.
  ///
  /// - Parameters:
  ///   - publisher: the event publisher (its async window bounds the publishes in flight).
  ///   - subject: one subject for every line, `nil` for the contract subjects.
  ///   - logger: receives line numbers and event ids, never line contents.
  public init(
    publisher: EventPublisher, subject: String? = nil, logger: Logger = Logger(label: "jsonlines-publisher")
  ) {
    self.publisher = publisher
    self.subject = subject
    self.logger = logger
  }

  /// Validates the lines without publishing anything (a dry run): the report has `read`, `blank`,
  /// `invalid` and the line errors; `published` stays 0.
  public static func validate<Lines: AsyncSequence>(byteLines: Lines, subject: String? = nil) async throws
    -> JSONLinesReport
  where Lines.Element == [UInt8] {
    var report = JSONLinesReport()
    var number = 0
    for try await bytes in byteLines {
      number += 1
      switch classify(bytes, subject: subject) {
      case .blank:
        report.blank += 1
      case .invalid(let error):
        report.read += 1
        report.invalid += 1
        report.errors.append(JSONLinesReport.LineError(line: number, reason: error.message))
      case .valid:
        report.read += 1
      }
    }
    return report
  }

  /// Validates the given lines without publishing anything (see `validate(byteLines:subject:)`).
  public static func validate(lines: [String], subject: String? = nil) async throws -> JSONLinesReport {
    try await validate(byteLines: byteStream(lines), subject: subject)
  }

  /// Publishes the lines of the file at `path`.
  ///
  /// - Throws: `EventPublishingError` `.unreadableInput` when the file cannot be read; line
  ///   problems never throw, they are in the report.
  public func run(fileAt path: String) async throws -> JSONLinesReport {
    try await run(byteLines: try FileLineSequence(path: path))
  }

  /// Publishes the given lines (e.g. `FileLineSequence(handle: .standardInput)` mapped to text, or
  /// any async source of lines).
  public func run<Lines: AsyncSequence>(lines: Lines) async throws -> JSONLinesReport
  where Lines.Element == String {
    try await run(byteLines: lines.map { Array($0.utf8) })
  }

  /// Publishes the given lines.
  public func run(lines: [String]) async throws -> JSONLinesReport {
    try await run(byteLines: Self.byteStream(lines))
  }

  /// Publishes lines given as raw bytes (what `FileLineSequence` yields).
  public func run<Lines: AsyncSequence>(byteLines: Lines) async throws -> JSONLinesReport
  where Lines.Element == [UInt8] {
    var report = JSONLinesReport()
    var inFlight: [InFlight] = []
    var resolved = 0
    var number = 0
    for try await bytes in byteLines {
      number += 1
      let publishable: PublishableEvent
      switch Self.classify(bytes, subject: subject) {
      case .blank:
        report.blank += 1
        continue
      case .invalid(let error):
        report.read += 1
        report.invalid += 1
        report.errors.append(JSONLinesReport.LineError(line: number, reason: error.message))
        logger.info("line refused", metadata: ["line": "\(number)", "code": "\(error.code.rawValue)"])
        continue
      case .valid(let event):
        report.read += 1
        publishable = event
      }
      do {
        let future = try await publisher.publishAsync(publishable)
        inFlight.append(InFlight(line: number, eventID: publishable.event.id, future: future))
      } catch {
        report.failed += 1
        report.errors.append(JSONLinesReport.LineError(line: number, reason: Self.reason(error)))
        logger.warning(
          "line not published", metadata: ["line": "\(number)", "event_id": "\(publishable.event.id)"])
      }
      // Keep the bookkeeping bounded: settle the oldest futures once twice the window is waiting.
      while inFlight.count - resolved > 2 * publisher.asyncWindow {
        await settle(inFlight[resolved], into: &report)
        resolved += 1
      }
      if resolved > 4096 {
        inFlight.removeFirst(resolved)
        resolved = 0
      }
    }
    for index in resolved..<inFlight.count {
      await settle(inFlight[index], into: &report)
    }
    report.errors.sort { $0.line < $1.line }
    return report
  }

  /// Decodes and validates one line.
  ///
  /// - Throws: `EventPublishingError`: `.undecodable` (not JSON, not a CloudEvent: the reason says
  ///   which rule), `.invalidEvent`, `.unknownSubject`, `.invalidSubject`.
  public static func prepare(line: [UInt8], subject: String? = nil) throws(EventPublishingError)
    -> PublishableEvent
  {
    let event: CloudEvent
    do throws(CloudEventDecodingError) {
      event = try CloudEventJSONFormat.decode(line)
    } catch {
      throw EventPublishingError(.undecodable, "not a structured CloudEvent: \(error.reason)", cause: error)
    }
    return try PublishableEvent(event, subject: subject)
  }

  // MARK: private

  private enum LineKind {
    case blank
    case invalid(EventPublishingError)
    case valid(PublishableEvent)
  }

  private static func classify(_ bytes: [UInt8], subject: String?) -> LineKind {
    if isBlank(bytes) { return .blank }
    do throws(EventPublishingError) {
      return .valid(try prepare(line: bytes, subject: subject))
    } catch {
      return .invalid(error)
    }
  }

  private static func byteStream(_ lines: [String]) -> AsyncStream<[UInt8]> {
    AsyncStream { continuation in
      for line in lines { continuation.yield(Array(line.utf8)) }
      continuation.finish()
    }
  }

  private struct InFlight {
    var line: Int
    var eventID: String
    var future: JetStreamPubAckFuture
  }

  private func settle(_ entry: InFlight, into report: inout JSONLinesReport) async {
    do {
      let ack = try await entry.future.value()
      publisher.report(ack, eventID: entry.eventID, subject: entry.future.subject)
      if ack.duplicate {
        report.duplicates += 1
        report.duplicateLines.append(
          JSONLinesReport.Duplicate(line: entry.line, eventID: entry.eventID, streamSequence: ack.sequence))
      } else {
        report.published += 1
      }
    } catch {
      report.failed += 1
      report.errors.append(JSONLinesReport.LineError(line: entry.line, reason: Self.reason(error)))
      logger.warning(
        "line not acknowledged", metadata: ["line": "\(entry.line)", "event_id": "\(entry.eventID)"])
    }
  }

  private static func reason(_ error: any Error) -> String {
    if let error = error as? EventPublishingError, let cause = error.cause {
      return "publish failed: \(cause)"
    }
    return "publish failed: \(error)"
  }

  private static func isBlank(_ bytes: [UInt8]) -> Bool {
    bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
  }
}
