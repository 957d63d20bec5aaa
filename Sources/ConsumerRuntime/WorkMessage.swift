/// A message pulled from the service's work stream (the JetStream adapter maps its messages to this).
///
/// The runtime never talks to NATS directly: it reads the subject, headers and body, and answers with
/// exactly one of `ack`, `nak(delay:)` or `term(reason:)`, sending `inProgress` while a long handler runs.
public protocol WorkMessage: Sendable {
  /// Subject the message was published on (the original history subject).
  var subject: String { get }
  /// Header pairs in wire order (names as received; lookups are ASCII case-insensitive).
  var headers: [(String, String)] { get }
  /// The message body.
  var payload: [UInt8] { get }
  /// Name of the stream the message was delivered from.
  var stream: String { get }
  /// Name of the durable consumer that delivered it.
  var consumer: String { get }
  /// Sequence of the message in `stream`.
  var streamSequence: UInt64 { get }
  /// How many times JetStream has delivered this message (1 on first delivery).
  var deliveryCount: Int { get }

  /// Acknowledges the message (`+ACK`): it is removed from the work stream.
  func ack() async throws
  /// Negatively acknowledges it (`-NAK {"delay": ns}`): redelivered after `delay`.
  func nak(delay: Duration) async throws
  /// Terminates it (`+TERM <reason>`): never redelivered.
  func term(reason: String) async throws
  /// Resets the ack-wait timer (`+WPI`) while a long handler runs.
  func inProgress() async throws
}
