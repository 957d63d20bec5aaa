import NIOCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Writes client protocol lines straight into a `ByteBuffer`.
///
/// The publish path builds no intermediate `String`s: subjects are copied as UTF-8 and lengths are
/// written digit by digit. The encoder does not validate subjects; callers check them with
/// ``NATSSubject`` first, because a subject containing whitespace or a line break would corrupt
/// the stream.
public enum NATSProtocolEncoder {
  /// Writes `CONNECT {json}\r\n` (JSON with sorted keys, `nil` optionals omitted).
  public static func writeConnect(_ request: NATSConnectRequest, into buffer: inout ByteBuffer) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json: Data
    do {
      json = try encoder.encode(request)
    } catch {
      throw NATSProtocolError(
        .encodingFailed, "CONNECT JSON could not be encoded", underlying: String(describing: type(of: error)))
    }
    buffer.reserveCapacity(minimumWritableBytes: 8 + json.count + 2)
    buffer.writeStaticString("CONNECT ")
    buffer.writeBytes(json)
    buffer.writeStaticString("\r\n")
  }

  /// Writes `PUB <subject> [reply] <#bytes>\r\n<payload>\r\n`, or, when `headers` is non-empty,
  /// `HPUB <subject> [reply] <#hdr> <#total>\r\n<headers><payload>\r\n`. An empty `replyTo` counts as none.
  public static func writePublish(
    subject: String, replyTo: String?, headers: NATSHeaders?, payload: ByteBuffer,
    into buffer: inout ByteBuffer
  ) {
    writePublishPrefix(
      subject: subject, replyTo: replyTo, headers: headers, payloadLength: payload.readableBytes,
      into: &buffer)
    buffer.writeImmutableBuffer(payload)
    buffer.writeStaticString("\r\n")
  }

  /// Writes `PUB`, or `HPUB` when `headers` is non-empty, with a payload given as bytes.
  /// PUB when headers is nil or empty, HPUB otherwise.
  public static func writePublish<Bytes: Collection>(
    subject: String, replyTo: String?, headers: NATSHeaders?, payload: Bytes,
    into buffer: inout ByteBuffer
  ) where Bytes.Element == UInt8 {
    writePublishPrefix(
      subject: subject, replyTo: replyTo, headers: headers, payloadLength: payload.count, into: &buffer)
    buffer.writeBytes(payload)
    buffer.writeStaticString("\r\n")
  }

  /// Writes `SUB <subject> [queue] <sid>\r\n`. An empty `queue` counts as none.
  public static func writeSubscribe(
    subject: String, queue: String?, sid: UInt64, into buffer: inout ByteBuffer
  ) {
    buffer.writeStaticString("SUB ")
    buffer.writeString(subject)
    buffer.writeInteger(ASCII.space)
    if let queue, !queue.isEmpty {
      buffer.writeString(queue)
      buffer.writeInteger(ASCII.space)
    }
    buffer.writeDecimal(sid)
    buffer.writeStaticString("\r\n")
  }

  /// Writes `UNSUB <sid> [max]\r\n`; a `max` of `nil`, zero or less writes a plain `UNSUB <sid>`.
  public static func writeUnsubscribe(sid: UInt64, max: Int?, into buffer: inout ByteBuffer) {
    buffer.writeStaticString("UNSUB ")
    buffer.writeDecimal(sid)
    if let max, max > 0 {
      buffer.writeInteger(ASCII.space)
      buffer.writeDecimal(max)
    }
    buffer.writeStaticString("\r\n")
  }

  /// Writes `PING\r\n`.
  public static func writePing(into buffer: inout ByteBuffer) {
    buffer.writeStaticString("PING\r\n")
  }

  /// Writes `PONG\r\n`.
  public static func writePong(into buffer: inout ByteBuffer) {
    buffer.writeStaticString("PONG\r\n")
  }

  /// Writes the control line of `PUB`/`HPUB` and, for `HPUB`, the header block.
  @inline(__always)
  private static func writePublishPrefix(
    subject: String, replyTo: String?, headers: NATSHeaders?, payloadLength: Int,
    into buffer: inout ByteBuffer
  ) {
    let reply = replyTo.flatMap { $0.isEmpty ? nil : $0 }
    let replyLength = reply.map { $0.utf8.count + 1 } ?? 0
    if let headers, !headers.isEmpty {
      let headerLength = headers.encodedLength
      let total = headerLength + payloadLength
      buffer.reserveCapacity(
        minimumWritableBytes: 5 + subject.utf8.count + 1 + replyLength + 40 + headerLength + payloadLength + 2
      )
      buffer.writeStaticString("HPUB ")
      buffer.writeString(subject)
      buffer.writeInteger(ASCII.space)
      if let reply {
        buffer.writeString(reply)
        buffer.writeInteger(ASCII.space)
      }
      buffer.writeDecimal(headerLength)
      buffer.writeInteger(ASCII.space)
      buffer.writeDecimal(total)
      buffer.writeStaticString("\r\n")
      headers.write(to: &buffer)
    } else {
      buffer.reserveCapacity(
        minimumWritableBytes: 4 + subject.utf8.count + 1 + replyLength + 20 + 2 + payloadLength + 2)
      buffer.writeStaticString("PUB ")
      buffer.writeString(subject)
      buffer.writeInteger(ASCII.space)
      if let reply {
        buffer.writeString(reply)
        buffer.writeInteger(ASCII.space)
      }
      buffer.writeDecimal(payloadLength)
      buffer.writeStaticString("\r\n")
    }
  }
}
