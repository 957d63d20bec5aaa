import NIOCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Incremental decoder. Returns nil until a whole frame is buffered; never traps on malformed input.
///
/// Decodes the server side of the client protocol: `INFO {json}`, `MSG <subject> <sid> [reply] <#bytes>`,
/// `HMSG <subject> <sid> [reply] <#hdr> <#total>`, `PING`, `PONG`, `+OK` and `-ERR '<text>'`.
/// Operation names are case-insensitive; arguments are separated by any run of spaces and tabs;
/// a control line ends with `\r\n` (a bare `\n` is tolerated). Nothing is consumed until a frame
/// is complete, so the decoder holds no state between calls.
///
/// Errors (all ``NATSProtocolError``): a control line longer than `maxControlLineLength` (raised
/// as soon as that many bytes arrive without a line end, never buffering without bound), sizes
/// that are not non-negative decimals, `#hdr` > `#total`, a message larger than `maxPayload`
/// (for `HMSG` the total of headers and payload, as the server counts `max_payload`), a payload
/// not followed by `\r\n`, a malformed header block, undecodable `INFO` JSON, and unknown
/// operations. After an error the stream is out of sync; the connection must be closed.
public struct NATSProtocolDecoder: NIOSingleStepByteToMessageDecoder {
  /// The decoded frame type.
  public typealias InboundOut = NATSServerOp

  /// The longest control line accepted, without its `\r\n`.
  public let maxControlLineLength: Int
  /// The largest message accepted, in bytes (headers included for `HMSG`).
  public let maxPayload: Int

  /// Creates a decoder with the given limits (negative limits are treated as zero).
  public init(maxControlLineLength: Int = 4096, maxPayload: Int = 64 * 1024 * 1024) {
    self.maxControlLineLength = max(0, maxControlLineLength)
    self.maxPayload = max(0, maxPayload)
  }

  /// Decodes one frame from the front of `buffer`, or returns `nil` (consuming nothing) when the
  /// frame is not complete yet.
  public mutating func decode(buffer: inout ByteBuffer) throws -> NATSServerOp? {
    let maxLength = maxControlLineLength
    let parsed = try buffer.withUnsafeReadableBytes { bytes in
      try ControlLine.parse(bytes, maxLength: maxLength)
    }
    guard let parsed else { return nil }

    switch parsed.operation {
    case .ping:
      buffer.moveReaderIndex(forwardBy: parsed.length)
      return .ping
    case .pong:
      buffer.moveReaderIndex(forwardBy: parsed.length)
      return .pong
    case .ok:
      buffer.moveReaderIndex(forwardBy: parsed.length)
      return .ok
    case .err(let text):
      buffer.moveReaderIndex(forwardBy: parsed.length)
      return .err(text)
    case .info(let info):
      buffer.moveReaderIndex(forwardBy: parsed.length)
      return .info(info)
    case .msg(let header):
      return try decodeMessage(header, controlLineLength: parsed.length, from: &buffer)
    }
  }

  /// Decodes what is left at the end of the stream; an incomplete frame is left in the buffer.
  public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> NATSServerOp? {
    try decode(buffer: &buffer)
  }

  /// Completes a `MSG`/`HMSG` whose control line has been parsed.
  private func decodeMessage(
    _ header: ControlLine.MessageHeader, controlLineLength: Int, from buffer: inout ByteBuffer
  ) throws -> NATSServerOp? {
    guard header.totalLength <= maxPayload else {
      throw NATSProtocolError(
        .payloadTooLarge, "message of \(header.totalLength) bytes exceeds the limit of \(maxPayload) bytes")
    }
    let (bodyEnd, overflow) = controlLineLength.addingReportingOverflow(header.totalLength)
    guard !overflow, bodyEnd <= Int.max - 2 else {
      throw NATSProtocolError(.invalidSize, "message size \(header.totalLength) is out of range")
    }
    guard buffer.readableBytes >= bodyEnd + 2 else { return nil }

    let start = buffer.readerIndex
    guard buffer.getInteger(at: start + bodyEnd, as: UInt8.self) == ASCII.cr,
      buffer.getInteger(at: start + bodyEnd + 1, as: UInt8.self) == ASCII.lf
    else {
      throw NATSProtocolError(
        .missingPayloadTerminator, "payload of \(header.totalLength) bytes is not followed by \\r\\n")
    }

    let headerLength = header.headerLength ?? 0
    var headers: NATSHeaders?
    if header.headerLength != nil {
      guard let block = buffer.getSlice(at: start + controlLineLength, length: headerLength) else {
        throw NATSProtocolError(.invalidSize, "header block of \(headerLength) bytes is out of range")
      }
      headers = try NATSHeaders.parse(block)
    }
    guard
      let payload = buffer.getSlice(
        at: start + controlLineLength + headerLength, length: header.totalLength - headerLength)
    else {
      throw NATSProtocolError(.invalidSize, "payload of \(header.totalLength) bytes is out of range")
    }
    let subject = Self.string(in: buffer, start: start, header.subject)
    let replyTo = header.replyTo.map { Self.string(in: buffer, start: start, $0) }
    buffer.moveReaderIndex(forwardBy: bodyEnd + 2)
    return .msg(
      NATSInboundMessage(
        subject: subject, sid: header.sid, replyTo: replyTo, headers: headers, payload: payload,
        wireSize: header.totalLength))
  }

  /// The UTF-8 string at `range` (relative to `start`), with invalid sequences repaired.
  private static func string(in buffer: ByteBuffer, start: Int, _ range: Range<Int>) -> String {
    buffer.getString(at: start + range.lowerBound, length: range.count) ?? ""
  }
}
