import NIOCore

extension NATSHeaders {
  /// The version line every header block starts with.
  static let versionLine: StaticString = "NATS/1.0"

  /// Bytes of the encoded header block ("NATS/1.0[ code[ description]]\r\n" + "k: v\r\n"* + "\r\n").
  ///
  /// Lines with an empty name are not encoded; see ``write(to:)``.
  public var encodedLength: Int {
    var length = Self.versionLine.utf8CodeUnitCount + 2 + 2
    if let status {
      length += 1 + Self.statusDigitCount(status)
      if let statusDescription, !statusDescription.isEmpty {
        length += 1 + statusDescription.utf8.count
      }
    }
    for field in fields where !field.name.isEmpty {
      length += field.name.utf8.count + 2 + field.value.utf8.count + 2
    }
    return length
  }

  /// Writes the encoded header block, ``encodedLength`` bytes, in one buffer access.
  ///
  /// The output can always be parsed back as one block: CR and LF inside values and the status
  /// description are written as spaces, and CR, LF, space, tab and `:` inside names as `-`
  /// (byte for byte, so the length is unchanged). Lines with an empty name are skipped.
  public func write(to buffer: inout ByteBuffer) {
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: encodedLength) { pointer in
      encode(to: pointer, at: 0)
    }
  }

  /// Writes the encoded header block (see ``write(to:)``) at `pointer[start...]`, which must have
  /// room for ``encodedLength`` bytes; returns the index after it.
  func encode(to pointer: UnsafeMutableRawBufferPointer, at start: Int) -> Int {
    var index = RawBytes.copy(Self.versionLine, to: pointer, at: start)
    if let status {
      pointer[index] = ASCII.space
      let digits = Self.statusDigitCount(status)
      index = RawBytes.writeDigits(UInt64(clamping: status), count: digits, to: pointer, at: index + 1)
      if let statusDescription, !statusDescription.isEmpty {
        pointer[index] = ASCII.space
        index = RawBytes.copyUTF8Replacing(
          statusDescription, length: statusDescription.utf8.count, to: pointer, at: index + 1,
          Self.valueReplacement)
      }
    }
    index = RawBytes.copy("\r\n", to: pointer, at: index)
    for field in fields where !field.name.isEmpty {
      index = RawBytes.copyUTF8Replacing(
        field.name, length: field.name.utf8.count, to: pointer, at: index, Self.nameReplacement)
      index = RawBytes.copy(": ", to: pointer, at: index)
      index = RawBytes.copyUTF8Replacing(
        field.value, length: field.value.utf8.count, to: pointer, at: index, Self.valueReplacement)
      index = RawBytes.copy("\r\n", to: pointer, at: index)
    }
    return RawBytes.copy("\r\n", to: pointer, at: index)
  }

  /// Digits written for a status (negative codes are written as `0`).
  static func statusDigitCount(_ status: Int) -> Int {
    ASCII.decimalDigitCount(UInt64(clamping: status))
  }

  /// Bytes that must not appear in a value: line breaks, written as spaces.
  static func valueReplacement(_ byte: UInt8) -> UInt8? {
    byte == ASCII.cr || byte == ASCII.lf ? ASCII.space : nil
  }

  /// Bytes that must not appear in a name: line breaks, blanks and the colon, written as `-`.
  static func nameReplacement(_ byte: UInt8) -> UInt8? {
    switch byte {
    case ASCII.cr, ASCII.lf, ASCII.space, ASCII.tab, ASCII.colon: return ASCII.dash
    default: return nil
    }
  }
}
