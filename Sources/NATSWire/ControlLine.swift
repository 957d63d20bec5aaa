#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
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
    case info(NATSServerInfo)
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
    guard let lf = bytes[0..<min(bytes.count, window)].firstIndex(of: ASCII.lf) else {
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

  // MARK: operations

  private static let opMSG = Array("msg".utf8)
  private static let opHMSG = Array("hmsg".utf8)
  private static let opPING = Array("ping".utf8)
  private static let opPONG = Array("pong".utf8)
  private static let opOK = Array("+ok".utf8)
  private static let opERR = Array("-err".utf8)
  private static let opINFO = Array("info".utf8)

  /// Identifies the operation of `line` and parses its arguments.
  private static func parseOperation(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws -> Operation
  {
    var index = line.lowerBound
    while index < line.upperBound, !ASCII.isBlank(bytes[index]) { index += 1 }
    let op = line.lowerBound..<index
    let rest = index..<line.upperBound

    if matches(bytes, op, opMSG) {
      return .msg(try parseMessageArguments(bytes, rest, hasHeaders: false))
    }
    if matches(bytes, op, opHMSG) {
      return .msg(try parseMessageArguments(bytes, rest, hasHeaders: true))
    }
    if matches(bytes, op, opPING) {
      try expectNoArguments(bytes, rest, "PING")
      return .ping
    }
    if matches(bytes, op, opPONG) {
      try expectNoArguments(bytes, rest, "PONG")
      return .pong
    }
    if matches(bytes, op, opOK) {
      try expectNoArguments(bytes, rest, "+OK")
      return .ok
    }
    if matches(bytes, op, opERR) {
      return .err(errorText(bytes, rest))
    }
    if matches(bytes, op, opINFO) {
      return .info(try decodeInfo(bytes, rest))
    }
    if op.isEmpty {
      throw NATSProtocolError(.unknownOperation, "control line has no operation")
    }
    throw NATSProtocolError(.unknownOperation, "unknown operation of \(op.count) bytes")
  }

  /// Whether `range` equals `lowercaseOp` ignoring ASCII case.
  private static func matches(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ lowercaseOp: [UInt8])
    -> Bool
  {
    guard range.count == lowercaseOp.count else { return false }
    var opIndex = 0
    for index in range {
      guard ASCII.lowercased(bytes[index]) == lowercaseOp[opIndex] else { return false }
      opIndex += 1
    }
    return true
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

  /// Parses `<subject> <sid> [reply] <#bytes>` or `<subject> <sid> [reply] <#hdr> <#total>`.
  private static func parseMessageArguments(
    _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasHeaders: Bool
  ) throws -> MessageHeader {
    let op = hasHeaders ? "HMSG" : "MSG"
    let sizeCount = hasHeaders ? 2 : 1
    var tokens: [Range<Int>] = []
    tokens.reserveCapacity(5)
    var index = range.lowerBound
    while index < range.upperBound {
      while index < range.upperBound, ASCII.isBlank(bytes[index]) { index += 1 }
      guard index < range.upperBound else { break }
      let start = index
      while index < range.upperBound, !ASCII.isBlank(bytes[index]) { index += 1 }
      guard tokens.count < 2 + 1 + sizeCount else {
        throw NATSProtocolError(.malformedControlLine, "\(op) has too many arguments")
      }
      tokens.append(start..<index)
    }
    guard tokens.count == 2 + sizeCount || tokens.count == 3 + sizeCount else {
      throw NATSProtocolError(
        .malformedControlLine,
        "\(op) has \(tokens.count) arguments, expected \(2 + sizeCount) or \(3 + sizeCount)")
    }

    guard let sid = parseDecimal(bytes, tokens[1]) else {
      throw NATSProtocolError(.invalidSize, "\(op) sid is not a non-negative decimal number")
    }
    let hasReply = tokens.count == 3 + sizeCount
    let sizeTokens = tokens[(hasReply ? 3 : 2)...]
    var sizes: [Int] = []
    for token in sizeTokens {
      guard let value = parseDecimal(bytes, token), value <= UInt64(Int.max) else {
        throw NATSProtocolError(.invalidSize, "\(op) size is not a non-negative decimal number")
      }
      sizes.append(Int(value))
    }
    var headerLength: Int?
    var totalLength = sizes[0]
    if hasHeaders {
      headerLength = sizes[0]
      totalLength = sizes[1]
      guard sizes[0] <= sizes[1] else {
        throw NATSProtocolError(
          .invalidSize, "HMSG header size \(sizes[0]) exceeds total size \(sizes[1])")
      }
    }
    return MessageHeader(
      subject: tokens[0], sid: sid, replyTo: hasReply ? tokens[2] : nil,
      headerLength: headerLength, totalLength: totalLength)
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
