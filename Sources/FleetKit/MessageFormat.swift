import NATS

/// How `sub` and `request` print a message: a `[#N] Received on "subject"` line, headers when
/// asked for, then the payload as text; or in raw mode only the payload.
struct MessageFormat: Sendable {
  /// Print the header lines.
  var showHeaders: Bool
  /// Print only the payload, one line per message.
  var raw: Bool

  /// The text for one message, ending in a newline.
  func render(_ message: NATSMessage, number: Int?) -> String {
    let payload = message.payloadString
    if raw { return payload + "\n" }
    var lines: [String] = []
    if let number {
      var title = "[#\(number)] Received on \"\(message.subject)\""
      if let reply = message.replyTo { title += " with reply \"\(reply)\"" }
      lines.append(title)
    }
    if showHeaders, let headers = message.headers {
      if let status = headers.status {
        lines.append("NATS/1.0 \(status)" + (headers.statusDescription.map { " \($0)" } ?? ""))
      }
      for (name, value) in headers.pairs { lines.append("\(name): \(value)") }
    }
    lines.append(payload)
    return lines.joined(separator: "\n") + "\n" + (number == nil ? "" : "\n")
  }
}
