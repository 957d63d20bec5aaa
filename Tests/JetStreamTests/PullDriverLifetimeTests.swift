import NATS
import XCTest

@testable import JetStream

/// A pull sequence that is dropped takes its driver and its inbox subscription with it. The inbox
/// callback holds the driver's state, not the driver, so nothing keeps the driver alive, and the
/// driver's deinit ends the subscription.
final class PullDriverLifetimeTests: XCTestCase {
  func testDroppedFetchAndConsumeReleaseTheDriverAndTheInbox() async throws {
    try await JetStreamServerFixture.run("pull-lifetime") { f in
      _ = try await f.js.createStream(StreamConfig(name: "L", subjects: ["l.>"]))
      _ = try await f.js.createOrUpdateConsumer(stream: "L", config: ConsumerConfig(durableName: "life"))
      let pull = try f.js.pullConsumer(stream: "L", name: "life")
      for i in 0..<4 { _ = try await f.js.publish("l.\(i)", string: "m\(i)") }

      for mode in ["fetch", "consume"] {
        weak var weakDriver: PullSubscriptionDriver?
        var inbox = ""
        do {
          let messages =
            mode == "fetch"
            ? try await pull.fetch(batch: 2, expires: .seconds(5))
            : try await pull.consume(batch: 2, expires: .seconds(5))
          weakDriver = messages.driver
          inbox = messages.driver.inbox
          var iterator = messages.makeAsyncIterator()
          for _ in 0..<2 {
            let next = try await iterator.next()
            let message = try XCTUnwrap(next, mode)
            try await message.ack()
          }
        }
        // Timers and the consume mode's event task hold the driver weakly; give them a moment.
        var waited = 0
        while weakDriver != nil, waited < 200 {
          try await Task.sleep(for: .milliseconds(10))
          waited += 1
        }
        XCTAssertNil(weakDriver, "\(mode): the dropped sequence's driver is released")

        // Its inbox is unsubscribed: a message sent there no longer reaches this client.
        try await f.client.flush()
        let before = f.client.statistics.inMessages
        try await f.client.publish(inbox, payload: Array("late".utf8))
        try await f.client.flush()
        XCTAssertEqual(f.client.statistics.inMessages, before, "\(mode): nothing arrives on the old inbox")
      }
    }
  }
}
