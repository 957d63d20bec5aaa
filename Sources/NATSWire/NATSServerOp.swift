/// One operation sent by the server, as produced by ``NATSProtocolDecoder``.
public enum NATSServerOp: Sendable, Equatable {
  /// `INFO {json}`: the server's description of itself, sent on connect and on cluster changes.
  /// (Boxed: the info is large and rare, and every `MSG` would otherwise be copied at its size.)
  indirect case info(NATSServerInfo)
  /// `MSG` or `HMSG`: a message delivered to a subscription.
  case msg(NATSInboundMessage)
  /// `PING`: the server expects a `PONG`.
  case ping
  /// `PONG`: the answer to a client `PING`.
  case pong
  /// `+OK`: acknowledgement in verbose mode.
  case ok
  /// `-ERR '<text>'`: a server error, with the surrounding quotes removed.
  case err(String)
}
