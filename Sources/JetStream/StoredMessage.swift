import Foundation
import NATSWire
import NIOCore

/// A message read from a stream by sequence or by subject (`STREAM.MSG.GET` or direct get).
public struct StoredMessage: Sendable {
  /// The subject it was stored under.
  public var subject: String
  /// Its stream sequence.
  public var sequence: UInt64
  /// Its headers, if any.
  public var headers: NATSHeaders?
  /// Its payload.
  public var payload: [UInt8]
  /// When it was stored (RFC 3339 text as sent by the server).
  public var time: String?

  /// Creates a stored message.
  public init(subject: String, sequence: UInt64, headers: NATSHeaders?, payload: [UInt8], time: String?) {
    self.subject = subject
    self.sequence = sequence
    self.headers = headers
    self.payload = payload
    self.time = time
  }

  /// The JSON form of `STREAM.MSG.GET` (`hdrs` and `data` base64).
  struct Wire: Decodable {
    var subject: String
    var seq: UInt64
    var hdrs: String?
    var data: String?
    var time: String?
  }

  /// The `STREAM.MSG.GET` response envelope.
  struct Response: Decodable {
    var message: Wire
  }

  /// Decodes the base64 fields of the API form; throws `.invalidResponse` on bad base64 or headers.
  init(wire: Wire) throws {
    var headers: NATSHeaders?
    if let hdrs = wire.hdrs, !hdrs.isEmpty {
      guard let bytes = Data(base64Encoded: hdrs) else {
        throw JetStreamError(.invalidResponse, "stored message \(wire.seq): headers are not base64")
      }
      do {
        headers = try NATSHeaders.parse(ByteBuffer(bytes: bytes))
      } catch {
        throw JetStreamError(.invalidResponse, "stored message \(wire.seq): malformed headers", cause: error)
      }
    }
    var payload: [UInt8] = []
    if let data = wire.data, !data.isEmpty {
      guard let bytes = Data(base64Encoded: data) else {
        throw JetStreamError(.invalidResponse, "stored message \(wire.seq): data is not base64")
      }
      payload = Array(bytes)
    }
    self.init(subject: wire.subject, sequence: wire.seq, headers: headers, payload: payload, time: wire.time)
  }
}
