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
    payload.withUnsafeReadableBytes { bytes in
      writePublish(subject: subject, replyTo: replyTo, headers: headers, rawPayload: bytes, into: &buffer)
    }
  }

  /// Writes `PUB`, or `HPUB` when `headers` is non-empty, with a payload given as bytes.
  /// PUB when headers is nil or empty, HPUB otherwise.
  public static func writePublish<Bytes: Collection>(
    subject: String, replyTo: String?, headers: NATSHeaders?, payload: Bytes,
    into buffer: inout ByteBuffer
  ) where Bytes.Element == UInt8 {
    let written: Void? = payload.withContiguousStorageIfAvailable { bytes in
      writePublish(
        subject: subject, replyTo: replyTo, headers: headers, rawPayload: UnsafeRawBufferPointer(bytes),
        into: &buffer)
    }
    guard written == nil else { return }
    let reply = replyTo.flatMap { $0.isEmpty ? nil : $0 }
    let headerBlock = headers.flatMap { $0.isEmpty ? nil : $0 }
    let payloadLength = payload.count
    writeControlLine(
      subject: subject, replyTo: reply, headerLength: headerBlock?.encodedLength,
      payloadLength: payloadLength, frameTail: 0, into: &buffer)
    headerBlock?.write(to: &buffer)
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

  /// Writes a whole `PUB`/`HPUB` frame whose payload is contiguous. Without headers the control
  /// line, payload and `\r\n` are written in a single buffer access.
  private static func writePublish(
    subject: String, replyTo: String?, headers: NATSHeaders?, rawPayload: UnsafeRawBufferPointer,
    into buffer: inout ByteBuffer
  ) {
    let reply = replyTo.flatMap { $0.isEmpty ? nil : $0 }
    if let headers, !headers.isEmpty {
      // The whole frame (line, header block, payload, `\r\n`) in one buffer access.
      let headerLength = headers.encodedLength
      let payloadLength = rawPayload.count
      writeControlLine(
        subject: subject, replyTo: reply, headerLength: headerLength, payloadLength: payloadLength,
        frameTail: headerLength + payloadLength + 2, into: &buffer
      ) { pointer, offset in
        let index = headers.encode(to: pointer, at: offset)
        assert(index == offset + headerLength, "header block length differs from encodedLength")
        _ = RawBytes.copyPayloadAndCRLF(rawPayload, to: pointer, at: index)
      }
    } else {
      writePublishFrame(subject: subject, replyTo: reply, payload: rawPayload, into: &buffer)
    }
  }

  /// Writes `PUB <subject> <#bytes>\r\n<payload>\r\n`: no reply subject, no headers. The
  /// publish hot path, with nothing optional to look at.
  public static func writePlainPublish(
    subject: String, payload: UnsafeRawBufferPointer, into buffer: inout ByteBuffer
  ) {
    writePublishFrame(subject: subject, replyTo: nil, payload: payload, into: &buffer)
  }

  /// `PUB <subject> [reply] <#bytes>\r\n<payload>\r\n` in a single buffer access.
  @inline(__always)
  private static func writePublishFrame(
    subject: String, replyTo reply: String?, payload: UnsafeRawBufferPointer, into buffer: inout ByteBuffer
  ) {
    writeControlLine(
      subject: subject, replyTo: reply, headerLength: nil, payloadLength: payload.count,
      frameTail: payload.count + 2, into: &buffer
    ) { pointer, offset in
      _ = RawBytes.copyPayloadAndCRLF(payload, to: pointer, at: offset)
    }
  }

  /// Writes `PUB <subject> [reply] <#bytes>\r\n` (no `headerLength`) or
  /// `HPUB <subject> [reply] <#hdr> <#total>\r\n` in one buffer access, reserving room for what
  /// follows the line (header block, payload, `\r\n`) once. `frameTail` more bytes, written by
  /// `tail` right after the line in the same access, are included in the write.
  @inline(__always)
  private static func writeControlLine(
    subject: String, replyTo reply: String?, headerLength: Int?, payloadLength: Int, frameTail: Int,
    into buffer: inout ByteBuffer,
    tail: (UnsafeMutableRawBufferPointer, Int) -> Void = { _, _ in }
  ) {
    let subjectLength = subject.utf8.count
    let replyLength = reply?.utf8.count ?? 0
    let opLength = headerLength == nil ? 4 : 5
    var lineLength = opLength + subjectLength + 1 + (reply == nil ? 0 : replyLength + 1) + 2
    let total = (headerLength ?? 0) + payloadLength
    let totalDigits = ASCII.decimalDigitCount(UInt64(clamping: total))
    lineLength += totalDigits
    var headerDigits = 0
    if let headerLength {
      headerDigits = ASCII.decimalDigitCount(UInt64(clamping: headerLength))
      lineLength += headerDigits + 1
    }
    let written = lineLength + frameTail
    if frameTail == 0 {
      // Room for the rest of the frame too (header block, payload, `\r\n`), reserved once.
      buffer.reserveCapacity(minimumWritableBytes: lineLength + total + 2)
    }
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: written) { pointer in
      var index = 0
      if headerLength != nil {
        pointer[0] = UInt8(ascii: "H")
        index = 1
      }
      pointer[index] = UInt8(ascii: "P")
      pointer[index + 1] = UInt8(ascii: "U")
      pointer[index + 2] = UInt8(ascii: "B")
      pointer[index + 3] = ASCII.space
      index += 4
      index = RawBytes.copyUTF8(subject, length: subjectLength, to: pointer, at: index)
      pointer[index] = ASCII.space
      index += 1
      if let reply {
        index = RawBytes.copyUTF8(reply, length: replyLength, to: pointer, at: index)
        pointer[index] = ASCII.space
        index += 1
      }
      if let headerLength {
        index = RawBytes.writeDigits(
          UInt64(clamping: headerLength), count: headerDigits, to: pointer, at: index)
        pointer[index] = ASCII.space
        index += 1
      }
      index = RawBytes.writeDigits(UInt64(clamping: total), count: totalDigits, to: pointer, at: index)
      pointer[index] = ASCII.cr
      pointer[index + 1] = ASCII.lf
      tail(pointer, index + 2)
      return written
    }
  }
}
