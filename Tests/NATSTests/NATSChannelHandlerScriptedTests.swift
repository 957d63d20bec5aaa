import Foundation
import NATS
import NATSWire
import XCTest

/// The channel handler's own decode loop, against a scripted server: frames split across reads
/// at awkward points, and a protocol error that ends the connection.
final class NATSChannelHandlerScriptedTests: XCTestCase {
  func testFramesSplitAcrossReadsAreDeliveredWhole() async throws {
    let server = try await ScriptedNATSServer.start(script: [
      "MSG split.a 1 1", "1\r\nhello wo", "rld\r\nMSG split.b 1 _INBOX.r 3\r", "\nabc\r", "\nHMSG split.c 1 ",
      "18 20\r\nNATS/1.0\r\nK: v\r\n\r\nhi\r\nMSG split.d 1 0\r\n\r\n",
    ])
    let client = try await TestClient.connect(server.url)
    let sub = try client.subscribe("split.>")
    try await client.flush()
    let received = try await collect(sub, count: 4)
    XCTAssertEqual(received.map(\.subject), ["split.a", "split.b", "split.c", "split.d"])
    XCTAssertEqual(received.map(\.payloadString), ["hello world", "abc", "hi", ""])
    XCTAssertEqual(received[1].replyTo, "_INBOX.r")
    XCTAssertEqual(received[2].headers?["K"], "v")
    XCTAssertTrue(client.isConnected)
    XCTAssertEqual(server.connections, 1)
    await client.close()
    await server.stop()
  }

  func testProtocolErrorIsReportedAndTheClientReconnects() async throws {
    let server = try await ScriptedNATSServer.start(script: [
      "MSG bad.a 1 2\r\nok\r\n", "BOGUS op\r\nMSG bad.a 1 4\r\nlost\r\n",
    ])
    let client = try await TestClient.connect(server.url)
    let events = EventRecorder(client)
    let sub = try client.subscribe("bad.>")
    try await client.flush()
    let first = try await collect(sub, count: 1)
    XCTAssertEqual(first.first?.payloadString, "ok")
    await events.wait {
      if case .error(let error) = $0 { return error.code == .protocolError }
      return false
    }
    await events.wait { $0.isDisconnected }
    await events.wait { $0.isReconnected }
    XCTAssertEqual(server.connections, 2)
    XCTAssertEqual(sub.pendingMessages, 0, "nothing after the bad line was delivered")
    await client.close()
    await server.stop()
  }
}
