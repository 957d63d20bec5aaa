import Foundation
import NATS
import NATSTestSupport
import NATSWire
import NIOCore
import XCTest

/// The non-suspending publish path (`tryPublish`) and the wait for room behind `publish`,
/// against a real nats-server started by each test.
final class NATSClientTryPublishIntegrationTests: XCTestCase {
  func testTryPublishQueuesAndDeliversInOrder() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url)
    let sub = try client.subscribe("fast.>")
    try await client.flush()
    var headers = NATSHeaders()
    headers.append("X-N", "h")
    for i in 0..<100 {
      let queued =
        i.isMultiple(of: 2)
        ? try client.tryPublish("fast.\(i)", payload: Array("m\(i)".utf8))
        : try client.tryPublish(
          "fast.\(i)", buffer: ByteBuffer(string: "m\(i)"), headers: headers, replyTo: "r.\(i)")
      XCTAssertTrue(queued, "room below the high-water mark")
    }
    let received = try await collect(sub, count: 100)
    XCTAssertEqual(received.map(\.subject), (0..<100).map { "fast.\($0)" })
    XCTAssertEqual(received.map(\.payloadString), (0..<100).map { "m\($0)" })
    XCTAssertEqual(received[1].replyTo, "r.1")
    XCTAssertEqual(received[1].headers?["X-N"], "h")
    XCTAssertNil(received[0].headers)
    XCTAssertEqual(client.statistics.outMessages, 100)
    await client.close()
  }

  func testTryPublishWritesNothingAboveTheHighWatermarkAndThrowsLikePublish() async throws {
    let server = try await NATSServerProcess.start(jetStream: false, config: "max_payload: 1024")
    defer { server.stop() }
    // A negative mark: the buffer is always "above" it, so there is never room.
    let client = try await TestClient.connect(server.url) { $0.outboundHighWatermark = -1 }
    XCTAssertFalse(try client.tryPublish("full", payload: [UInt8](repeating: 1, count: 10)))
    XCTAssertEqual(client.statistics.outMessages, 0)
    XCTAssertEqual(client.bufferedBytes, 0)
    for subject in ["bad subject", "", "wild.*", "ok.then..empty"] {
      XCTAssertThrowsError(try client.tryPublish(subject, payload: [UInt8]()), subject) {
        XCTAssertEqual(($0 as? NATSError)?.code, .invalidSubject)
      }
    }
    XCTAssertThrowsError(try client.tryPublish("big", payload: [UInt8](repeating: 0, count: 2000))) {
      XCTAssertEqual(($0 as? NATSError)?.code, .maxPayloadExceeded)
    }
    await client.close()
    XCTAssertThrowsError(try client.tryPublish("closed", payload: [UInt8]())) {
      XCTAssertEqual(($0 as? NATSError)?.code, .connectionClosed)
    }
  }

  func testTryPublishFillsTheReconnectBufferThenThrows() async throws {
    let (server, client, accepted, failure) = try await overflowReconnectBuffer { client in
      let queued = try client.tryPublish("buffered", payload: [UInt8](repeating: 1, count: 100))
      XCTAssertTrue(queued, "the reconnect buffer never makes a publish wait")
    }
    defer { server.stop() }
    XCTAssertEqual(failure?.code, .reconnectBufferExceeded)
    XCTAssertGreaterThan(accepted, 10)
    XCTAssertLessThan(accepted, 41)
    XCTAssertLessThanOrEqual(client.bufferedBytes, 4096)
    await client.close()
  }

  func testPublishWaitsForRoomWhenTheHighWatermarkIsTiny() async throws {
    let server = try await NATSServerProcess.start(jetStream: false)
    defer { server.stop() }
    let publisher = try await TestClient.connect(server.url) { $0.outboundHighWatermark = 1 }
    let subscriber = try await TestClient.connect(server.url)
    let sub = try subscriber.subscribe("wait.room")
    try await subscriber.flush()
    var refused = 0
    for i in 0..<2000 {
      let payload = Array("\(i)".utf8)
      if try !publisher.tryPublish("wait.room", payload: payload) {
        refused += 1
        try await publisher.publish("wait.room", payload: payload)
      }
    }
    try await publisher.flush()
    let received = try await collect(sub, count: 2000)
    XCTAssertEqual(received.map(\.payloadString), (0..<2000).map { "\($0)" })
    XCTAssertGreaterThan(refused, 0, "a one-byte mark leaves room only after each flush")
    await publisher.close()
    await subscriber.close()
  }
}
