/// Where replayed events are published.
///
/// - `original`: each event's original subject. Every service whose work stream sources that
///   subject receives it again (the ledgers skip what they already processed), so the runner
///   warns about the fan-out.
/// - `subject`: every event to one subject.
/// - `service`: `replay.<service>.<original subject>`, a subject only that service's work stream
///   captures (`WQ_<SERVICE>` lists `replay.<service>.>`); its durable has no filter, so it sees it.
/// - `automatic`: `original` for streams and files; for dead letters, the replay subject of the
///   service that failed (`Fleet-DLQ-Service`).
public enum ReplayTarget: Sendable, Hashable, CustomStringConvertible {
  /// Chosen by the source (see the type's documentation).
  case automatic
  /// The original subject of each event.
  case original
  /// One subject for every event.
  case subject(String)
  /// The replay subject of one service.
  case service(String)

  /// The first token of every replay subject.
  public static let replayPrefix = "replay"

  /// `replay.<service>.<original>`, with any replay prefix already on `original` removed first
  /// (a re-driven replay must not become `replay.a.replay.a.…`).
  public static func replaySubject(service: String, originalSubject: String) -> String {
    "\(replayPrefix).\(service).\(strippingReplayPrefix(originalSubject))"
  }

  /// `original` without a leading `replay.<service>.`; unchanged when it has none.
  public static func strippingReplayPrefix(_ subject: String) -> String {
    let tokens = subject.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
    guard tokens.count == 3, tokens[0] == Substring(replayPrefix), !tokens[1].isEmpty, !tokens[2].isEmpty
    else {
      return subject
    }
    return String(tokens[2])
  }

  /// Whether `name` can be one subject token (a service name): not empty, no `.`, `*`, `>` or whitespace.
  public static func isValidServiceName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 128
      && !name.utf8.contains {
        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: ">") || $0 <= 0x20
          || $0 == 0x7F
      }
  }

  /// The subject for one event.
  ///
  /// - Parameters:
  ///   - originalSubject: where the event was first published (`nil` when unknown).
  ///   - failingService: the service that dead-lettered it (dead letters only).
  ///   - deadLetter: whether the event comes from the DLQ (decides what `automatic` means).
  /// - Returns: the subject, or a reason why there is none.
  func resolve(originalSubject: String?, failingService: String?, deadLetter: Bool) -> Result<
    String, ReplayTargetProblem
  > {
    switch self {
    case .subject(let subject):
      return .success(subject)
    case .service(let service):
      guard let originalSubject else { return .failure(.noOriginalSubject) }
      return .success(Self.replaySubject(service: service, originalSubject: originalSubject))
    case .original:
      guard let originalSubject else { return .failure(.noOriginalSubject) }
      return .success(Self.strippingReplayPrefix(originalSubject))
    case .automatic:
      if deadLetter {
        guard let failingService, Self.isValidServiceName(failingService) else {
          return .failure(.noFailingService)
        }
        return ReplayTarget.service(failingService).resolve(
          originalSubject: originalSubject, failingService: failingService, deadLetter: true)
      }
      return ReplayTarget.original.resolve(
        originalSubject: originalSubject, failingService: failingService, deadLetter: false)
    }
  }

  /// Whether this target publishes to the original subjects for `source` (the fan-out case).
  func fansOut(for source: ReplaySource) -> Bool {
    switch self {
    case .original: return true
    case .automatic:
      if case .deadLetters = source { return false }
      return true
    case .subject, .service: return false
    }
  }

  /// `original subjects`, `subject X`, `replay.<svc>.<original subject>`, `automatic`.
  public var description: String {
    switch self {
    case .automatic: return "automatic"
    case .original: return "original subjects"
    case .subject(let subject): return "subject \(subject)"
    case .service(let service): return "\(Self.replayPrefix).\(service).<original subject>"
    }
  }
}
