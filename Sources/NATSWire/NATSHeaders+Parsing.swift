import NIOCore

extension NATSHeaders {
  /// Parses a header block (including its terminating empty line). Throws NATSProtocolError on malformed input.
  ///
  /// The first line is `NATS/<version>` optionally followed by a three-digit status code and a
  /// description; the status is taken from this line only. Each further line is `Name: Value`,
  /// split at the first `:`; the name is kept as written, the value has leading and trailing
  /// spaces and tabs removed and may itself contain `:`. Every line ends with `\r\n` and the block
  /// ends with an empty line, with nothing after it.
  public static func parse(_ block: ByteBuffer) throws -> NATSHeaders {
    try block.withUnsafeReadableBytes { bytes in
      try parse(bytes: bytes)
    }
  }

  /// Parses a header block from raw bytes; see ``parse(_:)``.
  static func parse(bytes: UnsafeRawBufferPointer) throws -> NATSHeaders {
    var headers = NATSHeaders()
    guard let firstLineEnd = try lineEnd(in: bytes, from: 0) else {
      throw NATSProtocolError(
        .malformedHeaders, "header block of \(bytes.count) bytes has no complete version line")
    }
    try parseVersionLine(bytes, 0..<firstLineEnd, into: &headers)
    var position = firstLineEnd + 2
    while true {
      guard let end = try lineEnd(in: bytes, from: position) else {
        throw NATSProtocolError(
          .malformedHeaders, "header block of \(bytes.count) bytes does not end with an empty line")
      }
      if end == position {
        let blockEnd = position + 2
        guard blockEnd == bytes.count else {
          throw NATSProtocolError(
            .malformedHeaders,
            "\(bytes.count - blockEnd) bytes follow the empty line that ends the header block")
        }
        return headers
      }
      headers.fields.append(try parseField(bytes, position..<end))
      position = end + 2
    }
  }

  /// The index of the `\r` of the next `\r\n` at or after `start`, `nil` when the bytes end first.
  /// A lone `\r` or `\n` inside a line is an error.
  private static func lineEnd(in bytes: UnsafeRawBufferPointer, from start: Int) throws -> Int? {
    var index = start
    while index < bytes.count {
      let byte = bytes[index]
      if byte == ASCII.lf {
        throw NATSProtocolError(.malformedHeaders, "header line contains a line feed without carriage return")
      }
      if byte == ASCII.cr {
        guard index + 1 < bytes.count else { return nil }
        guard bytes[index + 1] == ASCII.lf else {
          throw NATSProtocolError(
            .malformedHeaders, "header line contains a carriage return without line feed")
        }
        return index
      }
      index += 1
    }
    return nil
  }

  /// The bytes every version line starts with.
  private static let versionPrefix: [UInt8] = Array("NATS/".utf8)

  /// Parses `NATS/1.0[ code[ description]]`.
  private static func parseVersionLine(
    _ bytes: UnsafeRawBufferPointer, _ line: Range<Int>, into headers: inout NATSHeaders
  ) throws {
    let prefix = versionPrefix
    guard line.count > prefix.count,
      zip(bytes[line.lowerBound..<(line.lowerBound + prefix.count)], prefix).allSatisfy({ $0 == $1 })
    else {
      throw NATSProtocolError(.malformedHeaders, "header block does not start with NATS/<version>")
    }
    var index = line.lowerBound + prefix.count
    let versionStart = index
    while index < line.upperBound, !ASCII.isBlank(bytes[index]) { index += 1 }
    guard index > versionStart else {
      throw NATSProtocolError(.malformedHeaders, "header version is empty")
    }
    while index < line.upperBound, ASCII.isBlank(bytes[index]) { index += 1 }
    guard index < line.upperBound else { return }

    let codeStart = index
    while index < line.upperBound, !ASCII.isBlank(bytes[index]) { index += 1 }
    guard index - codeStart == 3, bytes[codeStart..<index].allSatisfy(ASCII.isDigit) else {
      throw NATSProtocolError(.malformedHeaders, "inline status is not a three-digit code")
    }
    headers.status = bytes[codeStart..<index].reduce(0) { $0 * 10 + Int($1 - ASCII.zero) }

    let description = trimmed(bytes, index..<line.upperBound)
    if !description.isEmpty {
      headers.statusDescription = string(bytes, description)
    }
  }

  /// Parses `Name: Value`.
  private static func parseField(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws -> Field {
    guard let colon = bytes[line].firstIndex(of: ASCII.colon) else {
      throw NATSProtocolError(.malformedHeaders, "header line has no ':'")
    }
    guard colon > line.lowerBound else {
      throw NATSProtocolError(.malformedHeaders, "header line has an empty name")
    }
    let name = string(bytes, line.lowerBound..<colon)
    let value = string(bytes, trimmed(bytes, (colon + 1)..<line.upperBound))
    return Field(name: name, value: value)
  }

  /// `range` without leading and trailing spaces and tabs.
  private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, ASCII.isBlank(bytes[lower]) { lower += 1 }
    while upper > lower, ASCII.isBlank(bytes[upper - 1]) { upper -= 1 }
    return lower..<upper
  }

  /// The bytes in `range` decoded as UTF-8 (invalid sequences become U+FFFD).
  private static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
