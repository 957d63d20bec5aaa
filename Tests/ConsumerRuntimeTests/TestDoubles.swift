import ConsumerRuntime
import DomainEvents
import Foundation
import GRDB
import Logging
import Synchronization

/// What a `FakeWorkMessage` was told to do.
enum SettleCall: Equatable, Sendable {
  case ack
  case nak(Duration)
  case term(String)
}

/// A work message that records ack/nak/term/in-progress calls.
final class FakeWorkMessage: WorkMessage {
  let subject: String
  let headers: [(String, String)]
  let payload: [UInt8]
  let stream: String
  let consumer: String
  let streamSequence: UInt64
  let deliveryCount: Int

  private let recorded = Mutex<[SettleCall]>([])
  private let progressCount = Mutex(0)
  /// Signalled on every `inProgress()`.
  let progressSignal = DispatchSemaphore(value: 0)
  private let failAck: Bool
  /// Runs inside `ack()` before the call is recorded (tests check what is committed by then).
  let onAck = Mutex<(@Sendable () -> Void)?>(nil)
  /// When set, `ack()` suspends until the gate opens, before the call is recorded.
  let ackGate = Mutex<AsyncGate?>(nil)

  init(
    subject: String, headers: [(String, String)], payload: [UInt8], streamSequence: UInt64,
    deliveryCount: Int, stream: String = "WQ_TEST", consumer: String = "test-service", failAck: Bool = false
  ) {
    self.subject = subject
    self.headers = headers
    self.payload = payload
    self.stream = stream
    self.consumer = consumer
    self.streamSequence = streamSequence
    self.deliveryCount = deliveryCount
    self.failAck = failAck
  }

  /// The same message as delivered again by JetStream.
  func redelivered(_ deliveryCount: Int) -> FakeWorkMessage {
    FakeWorkMessage(
      subject: subject, headers: headers, payload: payload, streamSequence: streamSequence,
      deliveryCount: deliveryCount, stream: stream, consumer: consumer)
  }

  var calls: [SettleCall] { recorded.withLock { $0 } }
  var inProgressCalls: Int { progressCount.withLock { $0 } }

  func ack() async throws {
    if failAck { throw FakeFailure(message: "connection lost") }
    onAck.withLock { $0 }?()
    if let gate = ackGate.withLock({ $0 }) { await gate.pass() }
    recorded.withLock { $0.append(.ack) }
  }

  func nak(delay: Duration) async throws {
    recorded.withLock { $0.append(.nak(delay)) }
  }

  func term(reason: String) async throws {
    recorded.withLock { $0.append(.term(reason)) }
  }

  func inProgress() async throws {
    progressCount.withLock { $0 += 1 }
    progressSignal.signal()
  }
}

struct FakeFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Records dead letters; fails the first `failures` publishes.
final class FakeDeadLetterSink: DeadLetterSink {
  private let state: Mutex<(letters: [DeadLetter], failuresLeft: Int)>

  init(failures: Int = 0) {
    state = Mutex((letters: [], failuresLeft: failures))
  }

  var letters: [DeadLetter] { state.withLock { $0.letters } }

  func publish(_ letter: DeadLetter) async throws {
    try state.withLock { state in
      if state.failuresLeft > 0 {
        state.failuresLeft -= 1
        throw FakeFailure(message: "no PubAck: timeout")
      }
      state.letters.append(letter)
    }
  }
}

/// Records successful publishes; fails the publishes whose 1-based attempt numbers are listed.
final class FakeNotificationPublisher: NotificationPublisher {
  private let state: Mutex<(published: [String], attempts: Int)>
  private let failingAttempts: Set<Int>

  init(failingAttempts: Set<Int> = []) {
    state = Mutex((published: [], attempts: 0))
    self.failingAttempts = failingAttempts
  }

  var publishedIds: [String] { state.withLock { $0.published } }
  var attempts: Int { state.withLock { $0.attempts } }

  func publish(_ notification: StoredNotification) async throws {
    try state.withLock { state in
      state.attempts += 1
      if failingAttempts.contains(state.attempts) { throw FakeFailure(message: "no responders") }
      state.published.append(notification.id)
    }
  }
}

/// Collects log lines.
final class LogStore: Sendable {
  struct Line: Sendable {
    var level: Logger.Level
    var message: String
    var metadata: Logger.Metadata
  }

  private let storage = Mutex<[Line]>([])
  var lines: [Line] { storage.withLock { $0 } }
  func append(_ line: Line) { storage.withLock { $0.append(line) } }

  func logger() -> Logger {
    Logger(label: "test") { _ in CapturingLogHandler(store: self) }
  }
}

struct CapturingLogHandler: LogHandler {
  let store: LogStore
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var merged = metadata
    for (key, value) in event.metadata ?? [:] { merged[key] = value }
    store.append(LogStore.Line(level: event.level, message: event.message.description, metadata: merged))
  }
}

/// Records observer reports.
final class RecordingObserver: ProcessingObserver {
  private let storage = Mutex<[(DomainEventKind?, ProcessingResult, ProcessingOutcome)]>([])
  var reports: [(DomainEventKind?, ProcessingResult, ProcessingOutcome)] { storage.withLock { $0 } }

  func eventProcessed(
    kind: DomainEventKind?, result: ProcessingResult, outcome: ProcessingOutcome, latency: Duration
  ) {
    storage.withLock { $0.append((kind, result, outcome)) }
  }
}

/// A tiny service: writes one `test_effects` row and one notification per event, then behaves as
/// configured.
final class TestHandler: ServiceHandler {
  enum Behavior: Sendable {
    case succeed
    case transient
    case permanent
    case unexpectedError
    /// Blocks until the message reports in-progress (or 10 s pass, then fails permanently).
    case waitForProgress(FakeWorkMessage)
    /// Fails permanently for these event ids (after writing its effect row), succeeds for others.
    case permanentFor(Set<String>)
    /// Fails transiently for these event ids before writing anything, succeeds for others.
    case transientBeforeWritingFor(Set<String>)
    /// Both of the above at once, for different events.
    case permanentAndTransientBeforeWritingFor(permanent: Set<String>, beforeWriting: Set<String>)
    /// Ends the whole SQLite transaction (as a disk I/O error would), then fails.
    case abortTransaction
    /// Holds the transaction until the gate opens (at most 10 s), then succeeds.
    case holdUntilOpen(HandlerGate)
  }

  let serviceName = "test-service"
  let consumes: Set<DomainEventKind>
  private let behavior: Mutex<Behavior>
  private let handledIds = Mutex<[String]>([])

  /// The event ids `handle` was called with, in order (a repeat is another call).
  var handled: [String] { handledIds.withLock { $0 } }

  init(consumes: Set<DomainEventKind> = [.progressNoteSigned], behavior: Behavior = .succeed) {
    self.consumes = consumes
    self.behavior = Mutex(behavior)
  }

  func setBehavior(_ newValue: Behavior) { behavior.withLock { $0 = newValue } }

  func registerMigrations(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("test.v1.effects") { db in
      try db.execute(
        sql:
          "CREATE TABLE test_effects (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, organization_id TEXT NOT NULL)"
      )
    }
  }

  func handle(_ event: InboundEvent, db: Database, context: inout HandlerContext) throws {
    handledIds.withLock { $0.append(event.decoded.eventId) }
    switch behavior.withLock({ $0 }) {
    case .transientBeforeWritingFor(let ids), .permanentAndTransientBeforeWritingFor(_, let ids):
      if ids.contains(event.decoded.eventId) { throw HandlerError.transient("encounter not found yet") }
    default:
      break
    }
    try db.execute(
      sql: "INSERT INTO test_effects (event_id, organization_id) VALUES (?, ?)",
      arguments: [event.decoded.eventId, event.decoded.organizationId])
    context.notify(
      OutboxNotification(
        id: "billing:\(event.decoded.eventId)", organizationId: event.decoded.organizationId,
        recipientType: "role", recipientId: "billing", severity: "info", template: "charge_manual_review",
        eventId: event.decoded.eventId))
    switch behavior.withLock({ $0 }) {
    case .succeed, .transientBeforeWritingFor:
      return
    case .transient:
      throw HandlerError.transient("encounter not found yet")
    case .permanent:
      throw HandlerError.permanent("billing code not allowed")
    case .unexpectedError:
      throw FakeFailure(message: "secret payload text that must not be stored")
    case .permanentFor(let ids), .permanentAndTransientBeforeWritingFor(let ids, _):
      if ids.contains(event.decoded.eventId) { throw HandlerError.permanent("billing code not allowed") }
    case .abortTransaction:
      try db.execute(sql: "ROLLBACK")
      throw FakeFailure(message: "disk I/O error")
    case .holdUntilOpen(let gate):
      gate.hold()
    case .waitForProgress(let message):
      if message.progressSignal.wait(timeout: .now() + 10) == .timedOut {
        throw HandlerError.permanent("no in-progress signal within 10 s")
      }
    }
  }
}

/// Lets a test hold a handler inside its transaction: `hold()` (in the handler) records that it
/// was reached and waits until `open()` (at most 10 s).
final class HandlerGate: Sendable {
  private let reachedFlag = Mutex(false)
  private let opened = DispatchSemaphore(value: 0)

  var reached: Bool { reachedFlag.withLock { $0 } }

  func hold() {
    reachedFlag.withLock { $0 = true }
    _ = opened.wait(timeout: .now() + 10)
    opened.signal()
  }

  func open() { opened.signal() }
}

/// Holds async callers in `pass()` until `open()`, without blocking a thread of the cooperative
/// pool (a blocked thread there could stall the code under test).
final class AsyncGate: Sendable {
  private let state = Mutex<(reached: Bool, opened: Bool, waiters: [CheckedContinuation<Void, Never>])>(
    (false, false, []))

  /// Whether a caller has arrived at the gate.
  var reached: Bool { state.withLock { $0.reached } }

  func pass() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let passNow = state.withLock { s -> Bool in
        s.reached = true
        if s.opened { return true }
        s.waiters.append(continuation)
        return false
      }
      if passNow { continuation.resume() }
    }
  }

  func open() {
    let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      s.opened = true
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.resume() }
  }
}

/// Temp-dir database paths removed at the end of a test.
struct TempDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "consumer-runtime-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  func remove() { try? FileManager.default.removeItem(at: url) }
}
