import CloudEvents
import EventPublishing
import Foundation
import JetStream
import Logging
import NATSWire

/// The source of a replay, opened: turns stream records and file lines into `ReplayItem`s.
enum ReplayReader {
  /// A history stream.
  case history(StreamReplayReader)
  /// The DLQ stream; letters of other services than `service` are filtered.
  case deadLetters(StreamReplayReader, service: String?)
  /// A JSON-lines file.
  case file(JSONLinesReplayReader)

  /// Opens the source of `options`, continuing after `resumeAfter` (a sequence or line).
  /// Returns the reader and the number of messages it expects, when known.
  static func open(
    _ options: ReplayOptions, resumeAfter: UInt64?, jetStream: JetStreamContext, consumerName: String,
    logger: Logger
  ) async throws(ReplayError) -> (ReplayReader, UInt64?) {
    switch options.source {
    case .stream(let range):
      let start = resumeAfter.map { ReplayPosition.sequence($0 + 1) } ?? range.start
      let reader = StreamReplayReader(
        jetStream: jetStream, stream: range.stream, start: start, end: range.end,
        filters: options.subjectFilters,
        batchSize: batchSize(options), consumerName: consumerName, logger: logger)
      let total = try await reader.open()
      return (.history(reader), total)
    case .deadLetters(let selection):
      let start = resumeAfter.map { ReplayPosition.sequence($0 + 1) } ?? selection.start ?? .sequence(1)
      let filters = selection.service.map { ["dlq.\($0).>"] } ?? []
      let reader = StreamReplayReader(
        jetStream: jetStream, stream: selection.stream, start: start, end: nil, filters: filters,
        batchSize: batchSize(options), consumerName: consumerName, logger: logger)
      let total = try await reader.open()
      return (.deadLetters(reader, service: selection.service), total)
    case .jsonLines(let path):
      return (.file(try JSONLinesReplayReader(path: path, resumeAfter: resumeAfter)), nil)
    }
  }

  /// A batch no larger than about five seconds of a rate-limited replay, so the ephemeral
  /// consumer never sits idle past its inactive threshold.
  static func batchSize(_ options: ReplayOptions) -> Int {
    guard let rate = options.rate else { return options.batchSize }
    return max(1, min(options.batchSize, Int((rate * 5).rounded(.down))))
  }

  /// The next item, or `nil` at the end of the source.
  func next() async throws -> ReplayItem? {
    switch self {
    case .history(let reader):
      return try await reader.next().map(Self.historyItem)
    case .deadLetters(let reader, let service):
      return try await reader.next().map { Self.deadLetterItem($0, service: service) }
    case .file(let reader):
      return try await reader.next()
    }
  }

  /// Removes the ephemeral consumer, if any.
  func close() async {
    switch self {
    case .history(let reader), .deadLetters(let reader, _): await reader.close()
    case .file: break
    }
  }

  /// Whether subject filters must be applied by the runner (the server applied them for a history stream).
  var filtersClientSide: Bool {
    if case .history = self { return false }
    return true
  }

  // MARK: decoding (pure)

  /// A history message: its stored subject is the original subject.
  static func historyItem(_ record: StreamReplayReader.Record) -> ReplayItem {
    do throws(CloudEventDecodingError) {
      let event = try CloudEventMessage.decode(headers: record.headers, payload: record.payload)
      return ReplayItem(
        position: record.sequence,
        content: .event(event, originalSubject: record.subject, failingService: nil))
    } catch {
      return ReplayItem(
        position: record.sequence,
        content: .invalid(
          reason: "invalid CloudEvent: \(error.reason)", eventID: shownID(record.headers?["ce-id"])))
    }
  }

  /// A dead letter: the envelope is its `ce-*` / `Content-Type` headers and body; the
  /// `Fleet-DLQ-*` headers name the service and the original subject.
  static func deadLetterItem(_ record: StreamReplayReader.Record, service wanted: String?) -> ReplayItem {
    let headers = record.headers ?? NATSHeaders()
    let service = headers[DeadLetterHeaderName.service]
    if let wanted, service != wanted {
      return ReplayItem(position: record.sequence, content: .filtered)
    }
    let eventID = shownID(headers[DeadLetterHeaderName.eventId] ?? headers["ce-id"])
    guard let original = headers[DeadLetterHeaderName.originalSubject], NATSSubject.isValidPublish(original)
    else {
      return ReplayItem(
        position: record.sequence,
        content: .invalid(
          reason: "the dead letter has no valid \(DeadLetterHeaderName.originalSubject) header",
          eventID: eventID))
    }
    let envelope = NATSHeaders(
      headers.pairs.filter { pair in
        let lower = pair.name.lowercased()
        return lower.hasPrefix("ce-") || lower == "content-type"
      }.map { ($0.name, $0.value) })
    do throws(CloudEventDecodingError) {
      let event = try CloudEventMessage.decode(headers: envelope, payload: record.payload)
      return ReplayItem(
        position: record.sequence, content: .event(event, originalSubject: original, failingService: service))
    } catch {
      return ReplayItem(
        position: record.sequence,
        content: .invalid(
          reason: "the dead letter's envelope is not a CloudEvent: \(error.reason)", eventID: eventID))
    }
  }

  /// An id from a header, shortened for reports (ids only, never payloads).
  private static func shownID(_ id: String?) -> String? {
    guard let id, !id.isEmpty else { return nil }
    return id.count > 80 ? String(id.prefix(80)) + "…" : id
  }
}
