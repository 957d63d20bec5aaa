/// The reading side of ``JSONStringLiteral``: the pieces of RFC 8259 string escapes that every
/// byte-level JSON reader here needs (this module's scanner, DomainEvents' parser). Each reader
/// keeps its own error reporting around them.
public enum JSONEscape {
  /// The byte a two-character escape `\X` stands for (`"` `\` `/` `b` `f` `n` `r` `t`); nil for
  /// any other `X` (`u` included, which takes four hex digits).
  @inlinable
  public static func shortEscapeValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return byte
    case UInt8(ascii: "b"): return 0x08
    case UInt8(ascii: "f"): return 0x0C
    case UInt8(ascii: "n"): return 0x0A
    case UInt8(ascii: "r"): return 0x0D
    case UInt8(ascii: "t"): return 0x09
    default: return nil
    }
  }

  /// The value of one hex digit (either case); nil for any other byte.
  @inlinable
  public static func hexDigitValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  /// Whether a `\u` value is a UTF-16 high (leading) surrogate.
  @inlinable
  public static func isHighSurrogate(_ value: UInt32) -> Bool { (0xD800...0xDBFF).contains(value) }

  /// Whether a `\u` value is a UTF-16 low (trailing) surrogate.
  @inlinable
  public static func isLowSurrogate(_ value: UInt32) -> Bool { (0xDC00...0xDFFF).contains(value) }

  /// The scalar value of a surrogate pair.
  @inlinable
  public static func scalarValue(high: UInt32, low: UInt32) -> UInt32 {
    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
  }

  /// Appends `scalar` as UTF-8.
  @inlinable
  public static func appendUTF8(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
    if let encoded = UTF8.encode(scalar) { buffer.append(contentsOf: encoded) }
  }
}
