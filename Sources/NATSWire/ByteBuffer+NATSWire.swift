import NIOCore

extension ByteBuffer {
  /// Writes `value` in decimal without building a `String`; returns the number of bytes written.
  @discardableResult
  @inline(__always)
  mutating func writeDecimal(_ value: UInt64) -> Int {
    let digits = ASCII.decimalDigitCount(value)
    return self.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { pointer in
      var rest = value
      var index = digits - 1
      while index >= 0 {
        pointer[index] = ASCII.zero &+ UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
        index -= 1
      }
      return digits
    }
  }

  /// Writes a non-negative `value` in decimal (negative values are written as `0`).
  @discardableResult
  @inline(__always)
  mutating func writeDecimal(_ value: Int) -> Int {
    self.writeDecimal(UInt64(clamping: value))
  }

  /// Writes the UTF-8 of `text`, replacing every byte for which `replacement` returns a value.
  /// The output has exactly `text.utf8.count` bytes.
  @inline(__always)
  mutating func writeReplacing(_ text: String, _ replacement: (UInt8) -> UInt8?) {
    let utf8 = text.utf8
    guard utf8.contains(where: { replacement($0) != nil }) else {
      self.writeString(text)
      return
    }
    let count = utf8.count
    self.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
      var index = 0
      for byte in utf8 {
        pointer[index] = replacement(byte) ?? byte
        index += 1
      }
      return count
    }
  }
}
