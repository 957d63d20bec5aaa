import CloudEvents
import Foundation
import JetStream
import NATSWire

/// Publishes PF-10 notifications from the outbox as CloudEvents (binary mode) on
/// `notifications.<organization_id>.<template>` (NOTIFICATIONS stream), `Nats-Msg-Id` = the
/// notification id, so a re-publish after an ambiguous failure is deduplicated.
public struct JetStreamNotificationPublisher: NotificationPublisher {
  let jetStream: JetStreamContext
  let serviceName: String

  /// The CloudEvents type of notification events.
  public static let eventType = "encoreos.pf.notification_requested"

  /// Creates a publisher for a service (`source` = `encoreos/<service>`).
  public init(jetStream: JetStreamContext, serviceName: String) {
    self.jetStream = jetStream
    self.serviceName = serviceName
  }

  /// The subject of a notification.
  public static func subject(for notification: OutboxNotification) -> String {
    "notifications.\(token(notification.organizationId)).\(token(notification.template))"
  }

  private static func token(_ s: String) -> String {
    // Almost always already a token (ids, template names): checked on the bytes, returned as is.
    if !s.isEmpty,
      s.utf8.allSatisfy({
        $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "*")
          && $0 != UInt8(ascii: ">")
      })
    {
      return s
    }
    let cleaned = s.map { c -> Character in
      c == "." || c == "*" || c == ">" || c.isWhitespace ? "_" : c
    }
    return cleaned.isEmpty ? "_" : String(cleaned)
  }

  /// The CloudEvent for a stored notification (identifiers and codes only).
  public func cloudEvent(for stored: StoredNotification) throws -> CloudEvent {
    let n = stored.notification
    var body: [String: String] = [
      "notification_id": n.id, "organization_id": n.organizationId, "recipient_type": n.recipientType,
      "recipient_id": n.recipientId, "severity": n.severity, "template": n.template, "event_id": n.eventId,
    ]
    if let entityId = n.entityId { body["entity_id"] = entityId }
    if let entityType = n.entityType { body["entity_type"] = entityType }
    let data = Self.jsonObject(body)
    var event = CloudEvent(
      id: n.id, source: "encoreos/\(serviceName)", type: Self.eventType, datacontenttype: "application/json",
      subject: n.template, time: CloudEventTimestamp(rfc3339: stored.createdAt), data: Array(data))
    event.organizationID = n.organizationId
    return event
  }

  /// `body` as a JSON object with sorted keys, escaped as Foundation's `JSONEncoder` does (`"`,
  /// `\`, `/` and control characters), without its per-call cost (this runs for every notification).
  static func jsonObject(_ body: [String: String]) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "{")]
    out.reserveCapacity(256)
    for (index, key) in body.keys.sorted().enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      JSONStringLiteral.append(key, to: &out, escapingSlashes: true)
      out.append(UInt8(ascii: ":"))
      JSONStringLiteral.append(body[key] ?? "", to: &out, escapingSlashes: true)
    }
    out.append(UInt8(ascii: "}"))
    return out
  }

  public func publish(_ stored: StoredNotification) async throws {
    let event = try cloudEvent(for: stored)
    let (pairs, body) = try CloudEventNATSBinding.encode(event, mode: .binary)
    var headers = NATSHeaders()
    for (name, value) in pairs { headers.append(name, value) }
    var options = JetStreamPublishOptions()
    options.msgId = stored.notification.id
    _ = try await jetStream.publish(
      Self.subject(for: stored.notification), payload: body, headers: headers, options: options)
  }
}
