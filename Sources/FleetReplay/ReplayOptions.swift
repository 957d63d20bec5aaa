import CloudEvents
import NATSWire
import StreamTopology

/// Everything `fleet replay` can be told (the CLI maps its flags onto this).
public struct ReplayOptions: Sendable {
  /// What to read.
  public var source: ReplaySource
  /// Where to publish.
  public var target: ReplayTarget
  /// Only events whose (original) subject matches one of these filters; empty = all. Applied by
  /// the server for a stream source (`filter_subjects`), by the runner for files and dead letters.
  public var subjectFilters: [String]
  /// Publishes per second at most; `nil` = as fast as the PubAck window allows.
  public var rate: Double?
  /// Checkpoint file (JSON), written every `checkpointInterval` messages and at the end.
  public var checkpointPath: String?
  /// Messages between two checkpoint writes.
  public var checkpointInterval: Int
  /// Continue the run recorded in `checkpointPath` with the same run id (so message ids are identical).
  public var resume: Bool
  /// Read and validate, publish nothing.
  public var dryRun: Bool
  /// Stop after this many source messages (the checkpoint then allows a resume).
  public var maxMessages: Int?
  /// The run id in `Nats-Msg-Id = replay:<run id>:<event id>`; `nil` = a new one (or the checkpoint's).
  public var runID: String?
  /// Progress display.
  public var progress: ReplayProgressStyle
  /// Unacknowledged publishes at most (the async PubAck window).
  public var window: Int
  /// Attempts per event before it counts as failed (1 = no retry).
  public var publishAttempts: Int
  /// How long one publish may wait for its PubAck.
  public var ackTimeout: Duration
  /// Messages per fetch from a stream.
  public var batchSize: Int
  /// Content mode of the republished messages.
  public var mode: CloudEventNATSBinding.Mode
  /// The streams/ topology, when known: names the work streams a fan-out reaches and checks that
  /// `replay.<service>.>` reaches a work stream.
  public var topology: Topology?

  /// Creates options with the defaults: automatic target, no rate limit, checkpoint every 500
  /// messages, window 1024, 3 attempts, 5 s PubAck timeout, batches of 256, binary mode.
  public init(source: ReplaySource, target: ReplayTarget = .automatic) {
    self.source = source
    self.target = target
    self.subjectFilters = []
    self.rate = nil
    self.checkpointPath = nil
    self.checkpointInterval = 500
    self.resume = false
    self.dryRun = false
    self.maxMessages = nil
    self.runID = nil
    self.progress = .automatic
    self.window = 1024
    self.publishAttempts = 3
    self.ackTimeout = .seconds(5)
    self.batchSize = 256
    self.mode = .binary
    self.topology = nil
  }

  /// Checks the options on their own (no server needed).
  ///
  /// - Throws: `ReplayError(.invalidOptions)` for the first problem found.
  public func validate() throws(ReplayError) {
    func fail(_ message: String) -> ReplayError { ReplayError(.invalidOptions, message) }
    switch source {
    case .stream(let range):
      guard Self.isValidStreamName(range.stream) else {
        throw fail("invalid stream name \"\(range.stream)\"")
      }
      if case .sequence(let start) = range.start, case .sequence(let end) = range.end, end < start {
        throw fail("end sequence \(end) is before start sequence \(start)")
      }
      if case .time(let start) = range.start, case .time(let end) = range.end, end < start {
        throw fail("end time is before start time")
      }
    case .jsonLines(let path):
      guard !path.isEmpty else { throw fail("no JSON-lines file given") }
    case .deadLetters(let selection):
      guard Self.isValidStreamName(selection.stream) else {
        throw fail("invalid DLQ stream name \"\(selection.stream)\"")
      }
      if let service = selection.service, !ReplayTarget.isValidServiceName(service) {
        throw fail("invalid service name \"\(service)\"")
      }
    }
    switch target {
    case .subject(let subject):
      guard NATSSubject.isValidPublish(subject) else {
        throw fail("--to \"\(subject)\" is not a valid publish subject")
      }
    case .service(let service):
      guard ReplayTarget.isValidServiceName(service) else {
        throw fail("invalid service name \"\(service)\"")
      }
    case .automatic, .original:
      break
    }
    for filter in subjectFilters where !NATSSubject.isValidSubscribe(filter) {
      throw fail("subject filter \"\(filter)\" is not valid")
    }
    if let rate, !(rate > 0 && rate.isFinite) {
      throw fail("rate must be a positive number of messages per second")
    }
    guard checkpointInterval > 0 else { throw fail("checkpoint interval must be positive") }
    if resume && checkpointPath == nil { throw fail("--resume needs --checkpoint FILE") }
    if let maxMessages, maxMessages <= 0 { throw fail("max messages must be positive") }
    if let runID, !Self.isValidRunID(runID) {
      throw fail("run id \"\(runID.prefix(40))\" may only hold letters, digits, '-' and '_' (1 to 64)")
    }
    guard window > 0 else { throw fail("window must be positive") }
    guard publishAttempts > 0 else { throw fail("publish attempts must be at least 1") }
    guard ackTimeout > .zero else { throw fail("ack timeout must be positive") }
    guard batchSize > 0 else { throw fail("batch size must be positive") }
  }

  /// The key a checkpoint must match to be resumed: the source without its start, the filters and
  /// the target (a resume continues the same replay, never another one).
  var checkpointKey: String {
    var parts: [String] = []
    switch source {
    case .stream(let range):
      parts.append("stream=\(range.stream)")
      parts.append("end=\(range.end.map { "\($0)" } ?? "last")")
    case .jsonLines(let path):
      parts.append("file=\(path)")
    case .deadLetters(let selection):
      parts.append("dlq=\(selection.stream)")
      parts.append("service=\(selection.service ?? "*")")
    }
    parts.append("filters=\(subjectFilters.sorted().joined(separator: ","))")
    parts.append("target=\(target)")
    return parts.joined(separator: " ")
  }

  static func isValidStreamName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 255
      && !name.utf8.contains {
        $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: ">") || $0 <= 0x20
          || $0 == 0x7F
      }
  }

  static func isValidRunID(_ id: String) -> Bool {
    (1...64).contains(id.utf8.count)
      && id.utf8.allSatisfy { byte in
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
          || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
          || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
          || byte == UInt8(ascii: "_")
      }
  }
}
