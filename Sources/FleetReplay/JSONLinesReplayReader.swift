import CloudEvents
import DomainEvents
import EventPublishing

/// Reads a JSON-lines file of structured-mode CloudEvents, one per line, numbering lines from 1.
/// A line that is not a CloudEvent becomes an `.invalid` item with its reason; blank lines are
/// `.ignored`; lines up to `resumeAfter` are skipped without being reported.
final class JSONLinesReplayReader {
  private var iterator: FileLineSequence.Iterator
  private var line: UInt64 = 0
  private let resumeAfter: UInt64

  /// Opens the file.
  ///
  /// - Throws: `ReplayError(.sourceUnavailable)` when it cannot be opened.
  init(path: String, resumeAfter: UInt64?) throws(ReplayError) {
    do throws(EventPublishingError) {
      iterator = try FileLineSequence(path: path).makeAsyncIterator()
    } catch {
      throw ReplayError(.sourceUnavailable, "cannot open \(path) for reading", cause: error)
    }
    self.resumeAfter = resumeAfter ?? 0
  }

  /// The next item, or `nil` at the end of the file.
  func next() async throws(ReplayError) -> ReplayItem? {
    while true {
      let bytes: [UInt8]?
      do {
        bytes = try await iterator.next()
      } catch {
        throw ReplayError(.sourceFailed, "reading line \(line + 1) failed", cause: error)
      }
      guard let bytes else { return nil }
      line += 1
      if line <= resumeAfter { continue }
      return ReplayItem(position: line, content: Self.decode(bytes))
    }
  }

  /// Decodes one line (pure; tested without a file).
  static func decode(_ bytes: [UInt8]) -> ReplayItem.Content {
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) { return .ignored }
    do throws(CloudEventDecodingError) {
      let event = try CloudEventJSONFormat.decode(bytes)
      let subject = DomainEventKind(cloudEventType: event.type)?.subject
      return .event(event, originalSubject: subject, failingService: nil)
    } catch {
      return .invalid(reason: "not a structured CloudEvent: \(error.reason)", eventID: nil)
    }
  }
}
