import CloudEvents
import EventPublishing
import FleetTestSupport
import Foundation
import NATSWire
import Synchronization
import XCTest

@testable import FleetReplay

/// The pure parts of a run: checkpoint frontier, rate pacing, progress text, source decoding.
final class ReplayMechanicsTests: XCTestCase {
  func testFrontierStopsAtTheFirstFailure() {
    var frontier = ReplayFrontier(resumingAfter: 4)
    XCTAssertEqual(frontier.position, 4)
    frontier.record(5, failed: false)
    frontier.record(6, failed: false)
    XCTAssertEqual(frontier.position, 6)
    frontier.record(7, failed: true)
    frontier.record(8, failed: false)
    XCTAssertEqual(frontier.position, 6, "a resume must retry message 7")
    XCTAssertTrue(frontier.frozen)
  }

  func testRateLimiterSpacesMessagesAndCapsTheBurstAfterAStall() {
    var limiter = ReplayRateLimiter(rate: 10)
    let start = ContinuousClock.now
    XCTAssertEqual(limiter.reserve(now: start), start)
    XCTAssertEqual(limiter.reserve(now: start), start + .milliseconds(100))
    XCTAssertEqual(limiter.reserve(now: start), start + .milliseconds(200))
    // After a 10 s stall at most one second's worth (10) goes at once.
    let later = start + .seconds(10)
    var immediate = 0
    while limiter.reserve(now: later) <= later { immediate += 1 }
    XCTAssertEqual(immediate, 10)
  }

  func testProgressTextShowsCountsAndNeverMore() {
    var counts = ReplayCounts()
    counts.read = 50
    counts.published = 45
    counts.skippedInvalid = 5
    let bar = ReplayProgressReporter.barLine(counts: counts, total: 200, elapsed: .seconds(10), width: 20)
    XCTAssertTrue(bar.hasPrefix("[#####..............."), bar)
    XCTAssertTrue(bar.contains(" 25%"), bar)
    XCTAssertTrue(bar.contains("50/200"), bar)
    XCTAssertTrue(bar.contains("5 msg/s"), bar)
    let unknownTotal = ReplayProgressReporter.barLine(counts: counts, total: nil, elapsed: .seconds(10))
    XCTAssertTrue(unknownTotal.contains("50 messages"), unknownTotal)
    let line = ReplayProgressReporter.plainLine(counts: counts, total: 200, elapsed: .seconds(10))
    XCTAssertEqual(line, "replay progress: read 50/200, published 45, skipped 5, failed 0, 5 msg/s")
  }

  func testProgressLinesAreThrottledAndFinishAlwaysShows() {
    let written = WrittenText()
    let start = ContinuousClock.now
    var reporter = ReplayProgressReporter(style: .lines, write: { written.append($0) }, now: start)
    var counts = ReplayCounts()
    counts.read = 1
    counts.published = 1
    reporter.update(counts, now: start)
    reporter.update(counts, now: start + .seconds(1))
    XCTAssertEqual(written.all.count, 1, "one line per interval")
    reporter.update(counts, now: start + .seconds(6))
    XCTAssertEqual(written.all.count, 2)
    reporter.finish(counts, now: start + .seconds(7))
    XCTAssertEqual(written.all.count, 3)
    XCTAssertTrue(written.all.allSatisfy { $0.hasSuffix("\n") })
    var bar = ReplayProgressReporter(style: .bar, write: { written.append($0) }, now: start)
    bar.update(counts, now: start)
    XCTAssertTrue(written.all.last?.hasPrefix("\r") == true)
    var silent = ReplayProgressReporter(style: .none, write: { written.append($0) }, now: start)
    let before = written.all.count
    silent.update(counts, now: start)
    silent.finish(counts, now: start)
    XCTAssertEqual(written.all.count, before)
  }

  func testJSONLinesDecodingClassifiesLines() throws {
    let event = try sampleEvent()
    guard
      case .event(let decoded, let subject, _) = JSONLinesReplayReader.decode(
        try CloudEventJSONFormat.encode(event))
    else { return XCTFail("a structured CloudEvent line") }
    XCTAssertEqual(decoded.id, event.id)
    XCTAssertEqual(subject, "cl_pm_events.progress_note_signed")
    guard case .ignored = JSONLinesReplayReader.decode(Array("  \t".utf8)) else { return XCTFail("blank") }
    guard case .invalid(let reason, _) = JSONLinesReplayReader.decode(Array("[1,2]".utf8)) else {
      return XCTFail("not an object")
    }
    XCTAssertTrue(reason.hasPrefix("not a structured CloudEvent"), reason)
  }

  func testDeadLettersYieldTheirEnvelopeServiceAndOriginalSubject() throws {
    let event = try sampleEvent()
    let (envelope, body) = try CloudEventMessage.encode(event)
    var headers = NATSHeaders()
    headers.append("Fleet-DLQ-Error", "encounter x not found")
    headers.append("Fleet-DLQ-Service", "charge-capture")
    headers.append("Fleet-DLQ-Original-Subject", "replay.charge-capture.cl_pm_events.progress_note_signed")
    headers.append("Fleet-DLQ-Event-Id", event.id)
    for pair in envelope.pairs { headers.append(pair.name, pair.value) }
    let record = StreamReplayReader.Record(
      sequence: 9, subject: "dlq.charge-capture.progress_note_signed", headers: headers, payload: body)

    let item = ReplayReader.deadLetterItem(record, service: "charge-capture")
    guard case .event(let decoded, let original, let service) = item.content else {
      return XCTFail("\(item.content)")
    }
    XCTAssertEqual(item.position, 9)
    XCTAssertEqual(decoded.id, event.id)
    XCTAssertEqual(decoded.type, event.type)
    XCTAssertEqual(decoded.data, event.data)
    XCTAssertEqual(service, "charge-capture")
    let target = ReplayTarget.automatic.resolve(
      originalSubject: original, failingService: service, deadLetter: true)
    XCTAssertEqual(try target.get(), "replay.charge-capture.cl_pm_events.progress_note_signed")

    guard case .filtered = ReplayReader.deadLetterItem(record, service: "gr-incidents").content else {
      return XCTFail("another service's letter")
    }
    var broken = record
    broken.payload = Array("{".utf8)
    broken.headers = NATSHeaders([
      ("Fleet-DLQ-Service", "charge-capture"), ("Fleet-DLQ-Original-Subject", "a.b"),
      ("Fleet-DLQ-Event-Id", "e-1"),
    ])
    guard case .invalid(_, let id) = ReplayReader.deadLetterItem(broken, service: nil).content else {
      return XCTFail("an undecodable envelope")
    }
    XCTAssertEqual(id, "e-1")
  }

  func testTargetsResolvePerSource() throws {
    XCTAssertEqual(
      try ReplayTarget.automatic.resolve(
        originalSubject: "cl_events.a", failingService: nil, deadLetter: false
      ).get(),
      "cl_events.a")
    XCTAssertEqual(
      try ReplayTarget.subject("x.y").resolve(originalSubject: nil, failingService: nil, deadLetter: false)
        .get(), "x.y")
    XCTAssertEqual(
      try ReplayTarget.service("gr-incidents").resolve(
        originalSubject: "cl_events.a", failingService: "x", deadLetter: true
      )
      .get(),
      "replay.gr-incidents.cl_events.a")
    XCTAssertThrowsError(
      try ReplayTarget.automatic.resolve(originalSubject: "a.b", failingService: nil, deadLetter: true).get())
    XCTAssertThrowsError(
      try ReplayTarget.original.resolve(originalSubject: nil, failingService: nil, deadLetter: false).get())
    let stream = ReplaySource.stream(ReplayStreamRange(stream: "S"))
    let dlq = ReplaySource.deadLetters(ReplayDeadLetterSelection())
    XCTAssertTrue(ReplayTarget.automatic.fansOut(for: stream))
    XCTAssertFalse(ReplayTarget.automatic.fansOut(for: dlq))
    XCTAssertTrue(ReplayTarget.original.fansOut(for: dlq))
    XCTAssertFalse(ReplayTarget.service("x").fansOut(for: stream))
  }

  private func sampleEvent() throws -> CloudEvent {
    try Events.noteSigned(encounter: Events.id())
  }
}

/// Collects progress output.
final class WrittenText: Sendable {
  private let lines = Mutex<[String]>([])
  func append(_ text: String) { lines.withLock { $0.append(text) } }
  var all: [String] { lines.withLock { $0 } }
}
