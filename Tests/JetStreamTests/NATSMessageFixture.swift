import NATS
import NATSWire
import NIOCore

/// Builds NATS messages for unit tests.
enum NATSMessageFixture {
  static func plain(subject: String, replyTo: String?, body: String = "x", headers: NATSHeaders? = nil)
    -> NATSMessage
  {
    NATSMessage(subject: subject, replyTo: replyTo, headers: headers, payload: ByteBuffer(string: body))
  }
}
