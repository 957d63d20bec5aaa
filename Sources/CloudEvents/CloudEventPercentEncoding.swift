/// Internal: the value encoding of binary-mode `ce-` headers (HTTP protocol binding §3.1.3.2).
enum CloudEventPercentEncoding {
  /// Percent-encodes space, `"`, `%` and every byte outside U+0021…U+007E of the UTF-8 form,
  /// as `%XX` with uppercase hex digits.
  static func encode(_ value: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count)
    for byte in value.utf8 {
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "%") || byte < 0x21 || byte > 0x7E {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigit(byte >> 4))
        out.append(hexDigit(byte & 0x0F))
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes `%XX` escapes (either case) and requires the result to be valid UTF-8.
  ///
  /// Lenient for senders that do not encode (the Go SDK's NATS JetStream binding): a `%` not
  /// followed by two hex digits stays literally, and raw UTF-8 or spaces are kept as they are.
  /// Returns `nil` when the decoded bytes are not valid UTF-8.
  static func decode(_ value: String) -> String? {
    guard value.utf8.contains(UInt8(ascii: "%")) else { return value }
    let bytes = Array(value.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
        let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      {
        out.append(high << 4 | low)
        index += 3
      } else {
        out.append(byte)
        index += 1
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
