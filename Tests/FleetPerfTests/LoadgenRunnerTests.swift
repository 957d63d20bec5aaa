import CloudEvents
import DomainEvents
import FleetLoad
import FleetPerf
import Foundation
import JetStream
import Logging
import NATS
import XCTest

final class LoadgenRunnerTests: XCTestCase {
  private func options(url: String, seed: UInt64, count: Int, summaryPath: String? = nil) -> LoadgenOptions {
    LoadgenOptions(
      client: NATSClientOptions(servers: [url]),
      profile: LoadProfile(seed: seed, organizations: 3, duplicateShare: 0.05, invalidShare: 0.05),
      count: count, connections: 2, maxInFlight: 64, summaryPath: summaryPath)
  }

  func testPublishesEveryEventAndTheSummaryMatchesTheStreams() async throws {
    let fixture = try await PerfTestServer()
    let streams = try await fixture.createHistoryStreams()
    let summaryPath = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-\(UUID()).json")
      .path
    defer { try? FileManager.default.removeItem(atPath: summaryPath) }
    let n = 400
    let summary = try await LoadgenRunner.run(
      options(url: fixture.url, seed: 42, count: n, summaryPath: summaryPath))

    XCTAssertEqual(summary.published, n)
    XCTAssertEqual(summary.acknowledged, n)
    XCTAssertEqual(summary.errors, 0, summary.errorSamples.joined(separator: "; "))
    XCTAssertEqual(summary.duplicateAcks, 0, "duplicates carry fresh message ids, the stream must store them")
    XCTAssertEqual(summary.stoppedBy, "count")
    XCTAssertEqual(summary.byKind.values.reduce(0, +), n)
    XCTAssertEqual(summary.byFlow.values.reduce(0, +), n)
    XCTAssertEqual(summary.byInvalidity.values.reduce(0, +), summary.invalid)
    XCTAssertGreaterThan(summary.duplicates, 0)
    XCTAssertGreaterThan(summary.invalid, 0)
    XCTAssertEqual(summary.pubAckLatency.count, UInt64(n))

    // The JSON summary file says the same.
    let data = try Data(contentsOf: URL(fileURLWithPath: summaryPath))
    XCTAssertEqual(try JSONDecoder().decode(LoadgenSummary.self, from: data), summary)

    // Stream contents: counts, message ids, validity.
    var total = 0
    var bySubject: [String: Int] = [:]
    var invalidSeen = 0
    var duplicatesSeen = 0
    var originals: Set<String> = []
    var duplicateIDs: [String] = []
    for stream in streams {
      for message in try await fixture.storedMessages(stream) {
        total += 1
        bySubject[message.subject, default: 0] += 1
        let pairs = (message.headers?.pairs ?? []).map { ($0.name, $0.value) }
        let event = try CloudEventNATSBinding.decode(headers: pairs, body: message.payload)
        let msgId = try XCTUnwrap(message.headers?["Nats-Msg-Id"])
        if msgId.hasPrefix("dup:") {
          duplicatesSeen += 1
          XCTAssertTrue(
            msgId.hasSuffix(":" + event.id), "duplicate msg id \(msgId) must end with the event id")
          duplicateIDs.append(event.id)
        } else {
          XCTAssertEqual(msgId, event.id)
          XCTAssertFalse(
            originals.contains(event.id), "event id \(event.id) stored twice without dup: prefix")
          originals.insert(event.id)
        }
        do {
          _ = try DomainEventDecoder.decode(event)
        } catch {
          invalidSeen += 1
        }
      }
    }
    XCTAssertEqual(total, n)
    XCTAssertEqual(bySubject, summary.bySubject)
    XCTAssertEqual(duplicatesSeen, summary.duplicates)
    XCTAssertEqual(invalidSeen, summary.invalid, "every event but the invalid share satisfies its contract")
    for id in duplicateIDs {
      XCTAssertTrue(originals.contains(id), "duplicate \(id) re-emits a published event")
    }
    await fixture.shutdown()
  }

  func testTheSameSeedPublishesTheSameEventIDs() async throws {
    let fixture = try await PerfTestServer()
    func storedIDs(seed: UInt64) async throws -> (LoadgenSummary, [String]) {
      let streams = try await fixture.createHistoryStreams()
      let summary = try await LoadgenRunner.run(options(url: fixture.url, seed: seed, count: 150))
      XCTAssertEqual(summary.acknowledged, 150)
      var ids: [String] = []
      for stream in streams {
        for message in try await fixture.storedMessages(stream) {
          ids.append(try XCTUnwrap(message.headers?["Nats-Msg-Id"]))
        }
      }
      return (summary, ids.sorted())
    }
    let (first, firstIDs) = try await storedIDs(seed: 7)
    let (second, secondIDs) = try await storedIDs(seed: 7)
    let (other, otherIDs) = try await storedIDs(seed: 8)
    XCTAssertEqual(firstIDs.count, 150)
    XCTAssertEqual(firstIDs, secondIDs)
    XCTAssertEqual(first.eventIDDigest, second.eventIDDigest)
    XCTAssertEqual(first.firstEventID, second.firstEventID)
    XCTAssertEqual(first.byKind, second.byKind)
    XCTAssertNotEqual(first.eventIDDigest, other.eventIDDigest)
    XCTAssertTrue(Set(firstIDs).isDisjoint(with: otherIDs))
    await fixture.shutdown()
  }

  func testInvalidOptionsAreRejectedBeforeConnecting() async throws {
    let client = NATSClientOptions(servers: ["nats://127.0.0.1:1"])
    let cases: [LoadgenOptions] = [
      LoadgenOptions(client: client),
      LoadgenOptions(client: client, count: 0),
      LoadgenOptions(client: client, count: 10, connections: 0),
      LoadgenOptions(client: client, count: 10, maxInFlight: 0),
      LoadgenOptions(client: client, count: 10, rate: -5),
      LoadgenOptions(client: client, duration: .zero),
    ]
    for options in cases {
      do {
        _ = try await LoadgenRunner.run(options)
        XCTFail("expected an invalid-option error")
      } catch let error as PerfError {
        XCTAssertEqual(error.code, .invalidOption)
      }
    }
  }

  func testAPacedRunStopsAtItsDuration() async throws {
    let fixture = try await PerfTestServer()
    _ = try await fixture.createHistoryStreams()
    var options = options(url: fixture.url, seed: 3, count: 1_000_000)
    options.rate = 200
    options.duration = .milliseconds(500)
    options.validatesEnvelopes = false
    let summary = try await LoadgenRunner.run(options)
    XCTAssertEqual(summary.stoppedBy, "duration")
    XCTAssertEqual(summary.errors, 0)
    XCTAssertEqual(summary.acknowledged, summary.published)
    XCTAssertLessThan(summary.published, 1_000_000)
    XCTAssertEqual(summary.targetRate, 200)
    await fixture.shutdown()
  }
}
