import NIOCore

extension ByteBuffer {
  /// Writes `value` in decimal without building a `String`; returns the number of bytes written.
  @discardableResult
  @inline(__always)
  mutating func writeDecimal(_ value: UInt64) -> Int {
    let digits = ASCII.decimalDigitCount(value)
    return self.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { pointer in
      RawBytes.writeDigits(value, count: digits, to: pointer, at: 0)
    }
  }

  /// Writes a non-negative `value` in decimal (negative values are written as `0`).
  @discardableResult
  @inline(__always)
  mutating func writeDecimal(_ value: Int) -> Int {
    self.writeDecimal(UInt64(clamping: value))
  }
}
