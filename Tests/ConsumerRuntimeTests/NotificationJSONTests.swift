import Foundation
import XCTest

@testable import ConsumerRuntime

/// The notification body writer must produce exactly what `JSONEncoder` with sorted keys did.
final class NotificationJSONTests: XCTestCase {
  func testBodyMatchesJSONEncoderByteForByte() throws {
    let samples = [
      "", "plain", "with \"quotes\" and \\ backslash", "a/b/c", "line\nbreak\r\ttab\u{08}\u{0C}",
      "\u{00}\u{01}\u{1F}\u{7F}", "unicode é ü 漢字 🙂", "\u{2028}\u{2029}",
      "0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for (index, sample) in samples.enumerated() {
      let body = [
        "notification_id": "billing:\(index)", "template": sample, "zeta": sample + sample, "Alpha": "x",
        "event_id": "e-\(index)",
      ]
      let expected = Array(try encoder.encode(body))
      XCTAssertEqual(
        String(decoding: JetStreamNotificationPublisher.jsonObject(body), as: UTF8.self),
        String(decoding: expected, as: UTF8.self), "sample \(index)")
    }
    XCTAssertEqual(JetStreamNotificationPublisher.jsonObject([:]), Array("{}".utf8))
  }

  /// Subject tokens: ids and template names pass unchanged; `.`, `*`, `>` and whitespace (any
  /// Unicode whitespace) become `_`; an empty value becomes `_`.
  func testNotificationSubjectTokens() {
    func subject(_ organization: String, _ template: String) -> String {
      JetStreamNotificationPublisher.subject(
        for: OutboxNotification(
          id: "n", organizationId: organization, recipientType: "role", recipientId: "r", severity: "info",
          template: template, eventId: "e"))
    }
    XCTAssertEqual(
      subject("0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", "charge_manual_review"),
      "notifications.0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d.charge_manual_review")
    XCTAssertEqual(subject("org.a", "x*y>z"), "notifications.org_a.x_y_z")
    XCTAssertEqual(subject("a b\tc", "n\u{00A0}b\u{2003}c"), "notifications.a_b_c.n_b_c")
    XCTAssertEqual(subject("", "ünï"), "notifications._.ünï")
    XCTAssertEqual(subject("del\u{7F}", "ok"), "notifications.del\u{7F}.ok")
  }
}
