import JetStream
import NATSWire
import XCTest

final class DomainIntegrationTests: XCTestCase {
  func testDomainPrefixedAPIAndAckSubjects() async throws {
    let config = """
      jetstream { domain: hub }
      feature_flags { js_ack_fc_v2: true }
      """
    try await JetStreamServerFixture.run("domain", config: config) { f in
      let js = JetStreamContext(client: f.client, domain: "hub")
      XCTAssertEqual(js.apiPrefix, "$JS.hub.API")
      let account = try await js.accountInfo()
      XCTAssertEqual(account.domain, "hub")

      _ = try await js.createStream(StreamConfig(name: "H", subjects: ["h.>"]))
      let ack = try await js.publish("h.1", string: "x")
      XCTAssertEqual(ack.domain, "hub")
      XCTAssertEqual(ack.sequence, 1)

      _ = try await js.createOrUpdateConsumer(stream: "H", config: ConsumerConfig(durableName: "d"))
      let messages = try await collect(try await js.pullConsumer(stream: "H", name: "d").fetch(batch: 1))
      let message = try XCTUnwrap(messages.first)
      XCTAssertEqual(message.metadata?.domain, "hub", message.replyTo ?? "no reply")
      XCTAssertEqual(message.metadata?.stream, "H")
      try await message.ackSync()

      // The same server answers the unprefixed API too; a wrong domain has no responders.
      let plain = try await f.js.streamNames()
      XCTAssertEqual(plain, ["H"])
      do {
        _ = try await JetStreamContext(client: f.client, domain: "elsewhere").accountInfo()
        XCTFail("no JetStream in domain 'elsewhere'")
      } catch let error as JetStreamError {
        XCTAssertEqual(error.code, .noResponders)
      }
    }
  }
}
