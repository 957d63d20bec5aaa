#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A parsed server control line: the operation and the number of bytes it occupies.
struct ControlLine {
  /// The arguments of `MSG`/`HMSG`.
  ///
  /// Subject and reply are byte ranges of the control line, turned into strings only once the
  /// whole frame has arrived (a large payload arriving in many reads re-parses the line cheaply).
  struct MessageHeader {
    var subject: Range<Int>
    var sid: UInt64
    var replyTo: Range<Int>?
    /// `#hdr` for `HMSG`; `nil` for `MSG`.
    var headerLength: Int?
    /// `#bytes` for `MSG`, `#total` for `HMSG`.
    var totalLength: Int
  }

  /// The operation a control line names.
  enum Operation {
    /// Boxed, so that the common `.msg` is not copied at the size of the (large, rare) info.
    indirect case info(NATSServerInfo)
    case msg(MessageHeader)
    case ping
    case pong
    case ok
    case err(String)
  }

  /// The operation.
  var operation: Operation
  /// Bytes of the control line including its line end.
  var length: Int

  /// Parses the control line at the start of `bytes`; `nil` when its line end has not arrived yet.
  static func parse(_ bytes: UnsafeRawBufferPointer, maxLength: Int) throws -> ControlLine? {
    // The longest acceptable line plus its `\r\n`.
    let window = maxLength >= Int.max - 2 ? Int.max : maxLength + 2
    guard let lf = firstLineFeed(bytes, within: min(bytes.count, window)) else {
      if bytes.count >= window {
        throw NATSProtocolError(
          .controlLineTooLong, "no line end within \(maxLength) bytes of control line")
      }
      return nil
    }
    let contentEnd = lf > 0 && bytes[lf - 1] == ASCII.cr ? lf - 1 : lf
    guard contentEnd <= maxLength else {
      throw NATSProtocolError(
        .controlLineTooLong, "control line of \(contentEnd) bytes exceeds \(maxLength) bytes")
    }
    let operation = try parseOperation(bytes, 0..<contentEnd)
    return ControlLine(operation: operation, length: lf + 1)
  }

  /// The index of the first `\n` among the first `count` bytes (`memchr`).
  @inline(__always)
  private static func firstLineFeed(_ bytes: UnsafeRawBufferPointer, within count: Int) -> Int? {
    guard count > 0, let base = bytes.baseAddress,
      let found = memchr(base, Int32(ASCII.lf), count)
    else { return nil }
    return base.distance(to: UnsafeRawPointer(found))
  }

  // MARK: operations

  /// The operations a server sends.
  private enum OperationName {
    case msg, hmsg, ping, pong, ok, err, info
  }

  /// The operation named by the bytes in `op`, ignoring ASCII case; nil for anything else. The
  /// name is at most four bytes: its length and its bytes, folded to lower case, are packed into
  /// one integer and compared once.
  @inline(__always)
  private static func operationName(_ bytes: UnsafeRawBufferPointer, _ op: Range<Int>) -> OperationName? {
    guard op.count >= 3, op.count <= 4 else { return nil }
    var packed = UInt64(op.count) << 32
    var shift: UInt64 = 0
    for index in op.reversed() {
      packed |= UInt64(ASCII.lowercased(bytes[index])) << shift
      shift += 8
    }
    switch packed {
    case 0x3_006D_7367: return .msg  // "msg"
    case 0x4_686D_7367: return .hmsg  // "hmsg"
    case 0x4_7069_6E67: return .ping  // "ping"
    case 0x4_706F_6E67: return .pong  // "pong"
    case 0x3_002B_6F6B: return .ok  // "+ok"
    case 0x4_2D65_7272: return .err  // "-err"
    case 0x4_696E_666F: return .info  // "info"
    default: return nil
    }
  }

  /// Identifies the operation of `line` and parses its arguments.
  private static func parseOperation(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws -> Operation
  {
    var index = line.lowerBound
    while index < line.upperBound, !ASCII.isBlank(bytes[index]) { index += 1 }
    let op = line.lowerBound..<index
    let rest = index..<line.upperBound

    switch operationName(bytes, op) {
    case .msg:
      return .msg(try parseMessageArguments(bytes, rest, hasHeaders: false))
    case .hmsg:
      return .msg(try parseMessageArguments(bytes, rest, hasHeaders: true))
    case .ping:
      try expectNoArguments(bytes, rest, "PING")
      return .ping
    case .pong:
      try expectNoArguments(bytes, rest, "PONG")
      return .pong
    case .ok:
      try expectNoArguments(bytes, rest, "+OK")
      return .ok
    case .err:
      return .err(errorText(bytes, rest))
    case .info:
      return .info(try decodeInfo(bytes, rest))
    case nil:
      if op.isEmpty {
        throw NATSProtocolError(.unknownOperation, "control line has no operation")
      }
      throw NATSProtocolError(.unknownOperation, "unknown operation of \(op.count) bytes")
    }
  }

  /// Throws unless `range` holds only blanks.
  private static func expectNoArguments(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ op: String)
    throws
  {
    guard bytes[range].allSatisfy(ASCII.isBlank) else {
      throw NATSProtocolError(.malformedControlLine, "\(op) takes no arguments")
    }
  }

  /// The text of `-ERR`, trimmed and without its surrounding single quotes.
  private static func errorText(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, ASCII.isBlank(bytes[lower]) { lower += 1 }
    while upper > lower, ASCII.isBlank(bytes[upper - 1]) { upper -= 1 }
    if lower < upper, bytes[lower] == ASCII.quote { lower += 1 }
    if lower < upper, bytes[upper - 1] == ASCII.quote { upper -= 1 }
    return string(bytes, lower..<upper)
  }

  /// Decodes the JSON after `INFO`.
  private static func decodeInfo(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws
    -> NATSServerInfo
  {
    var lower = range.lowerBound
    while lower < range.upperBound, ASCII.isBlank(bytes[lower]) { lower += 1 }
    guard lower < range.upperBound else {
      throw NATSProtocolError(.invalidInfo, "INFO has no JSON body")
    }
    let json = Data(UnsafeRawBufferPointer(rebasing: bytes[lower..<range.upperBound]))
    do {
      return try JSONDecoder().decode(NATSServerInfo.self, from: json)
    } catch {
      throw NATSProtocolError(
        .invalidInfo, "INFO JSON of \(json.count) bytes could not be decoded",
        underlying: String(describing: type(of: error)))
    }
  }

  // MARK: MSG and HMSG

  /// Parses `<subject> <sid> [reply] <#bytes>` or `<subject> <sid> [reply] <#hdr> <#total>`
  /// in place: one pass over the bytes, the arguments kept as ranges, nothing allocated.
  private static func parseMessageArguments(
    _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasHeaders: Bool
  ) throws -> MessageHeader {
    let sizeCount = hasHeaders ? 2 : 1
    let maxTokens = 3 + sizeCount
    // Up to five arguments: subject, sid, reply?, sizes.
    var t0 = 0..<0
    var t1 = 0..<0
    var t2 = 0..<0
    var t3 = 0..<0
    var t4 = 0..<0
    var count = 0
    var index = range.lowerBound
    let end = range.upperBound
    while index < end {
      while index < end, ASCII.isBlank(bytes[index]) { index += 1 }
      guard index < end else { break }
      let start = index
      index = nextBlank(bytes, from: index, end: end)
      guard count < maxTokens else {
        throw NATSProtocolError(.malformedControlLine, "\(opName(hasHeaders)) has too many arguments")
      }
      switch count {
      case 0: t0 = start..<index
      case 1: t1 = start..<index
      case 2: t2 = start..<index
      case 3: t3 = start..<index
      default: t4 = start..<index
      }
      count += 1
    }
    guard count == 2 + sizeCount || count == maxTokens else {
      throw NATSProtocolError(
        .malformedControlLine,
        "\(opName(hasHeaders)) has \(count) arguments, expected \(2 + sizeCount) or \(maxTokens)")
    }

    guard let sid = parseDecimal(bytes, t1) else {
      throw NATSProtocolError(.invalidSize, "\(opName(hasHeaders)) sid is not a non-negative decimal number")
    }
    let hasReply = count == maxTokens
    // The size arguments follow the sid, or the reply when there is one.
    let firstSize = hasReply ? t3 : t2
    let secondSize = hasReply ? t4 : t3
    let first = try parseSize(bytes, firstSize, hasHeaders: hasHeaders)
    guard hasHeaders else {
      return MessageHeader(
        subject: t0, sid: sid, replyTo: hasReply ? t2 : nil, headerLength: nil, totalLength: first)
    }
    let second = try parseSize(bytes, secondSize, hasHeaders: hasHeaders)
    guard first <= second else {
      throw NATSProtocolError(.invalidSize, "HMSG header size \(first) exceeds total size \(second)")
    }
    return MessageHeader(
      subject: t0, sid: sid, replyTo: hasReply ? t2 : nil, headerLength: first, totalLength: second)
  }

  /// The index of the first space or tab in `from..<end`, or `end`. Reads eight bytes at a time
  /// (a subject or an ack reply is tens of bytes), then finishes byte by byte.
  @inline(__always)
  private static func nextBlank(_ bytes: UnsafeRawBufferPointer, from: Int, end: Int) -> Int {
    var index = from
    if let base = bytes.baseAddress {
      while end - index >= 8 {
        let word = WordBytes.load(base, at: index)
        let blanks = WordBytes.equal(to: ASCII.space, in: word) | WordBytes.equal(to: ASCII.tab, in: word)
        if blanks != 0 { return index + blanks.trailingZeroBitCount / 8 }
        index += 8
      }
    }
    while index < end, !ASCII.isBlank(bytes[index]) { index += 1 }
    return index
  }

  /// `MSG` or `HMSG`, for error texts.
  private static func opName(_ hasHeaders: Bool) -> String { hasHeaders ? "HMSG" : "MSG" }

  /// A size argument: a non-negative decimal that fits in `Int`.
  @inline(__always)
  private static func parseSize(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasHeaders: Bool)
    throws -> Int
  {
    guard let value = parseDecimal(bytes, range), value <= UInt64(Int.max) else {
      throw NATSProtocolError(.invalidSize, "\(opName(hasHeaders)) size is not a non-negative decimal number")
    }
    return Int(value)
  }

  /// A non-empty run of ASCII digits that fits in `UInt64`; `nil` otherwise.
  private static func parseDecimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64? {
    guard !range.isEmpty else { return nil }
    var value: UInt64 = 0
    for index in range {
      let byte = bytes[index]
      guard ASCII.isDigit(byte) else { return nil }
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - ASCII.zero))
      guard !overflow1, !overflow2 else { return nil }
      value = sum
    }
    return value
  }

  /// The bytes in `range` decoded as UTF-8 (invalid sequences become U+FFFD).
  private static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
