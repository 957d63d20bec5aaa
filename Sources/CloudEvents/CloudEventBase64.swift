/// Internal: RFC 4648 base64 (standard alphabet) for `data_base64`.
///
/// Encoding always pads. Decoding accepts padded and unpadded input and rejects anything else
/// (other characters, whitespace, misplaced `=`, an impossible length) with the offset only, never
/// the offending content.
enum CloudEventBase64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      out.append(alphabet[Int(chunk >> 18 & 0x3F)])
      out.append(alphabet[Int(chunk >> 12 & 0x3F)])
      out.append(alphabet[Int(chunk >> 6 & 0x3F)])
      out.append(alphabet[Int(chunk & 0x3F)])
      index += 3
    }
    let remaining = bytes.count - index
    if remaining > 0 {
      let second = remaining == 2 ? UInt32(bytes[index + 1]) : 0
      let chunk = UInt32(bytes[index]) << 16 | second << 8
      out.append(alphabet[Int(chunk >> 18 & 0x3F)])
      out.append(alphabet[Int(chunk >> 12 & 0x3F)])
      out.append(remaining == 2 ? alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ text: String) throws(CloudEventSyntaxViolation) -> [UInt8] {
    var input = Array(text.utf8)
    // Strip padding: at most two '=', only at the end, only to complete a 4-character group.
    var padding = 0
    while let last = input.last, last == UInt8(ascii: "=") {
      input.removeLast()
      padding += 1
    }
    if padding > 0 {
      guard padding <= 2, (input.count + padding) % 4 == 0 else {
        throw CloudEventSyntaxViolation("has misplaced '=' padding")
      }
    }
    guard input.count % 4 != 1 else {
      throw CloudEventSyntaxViolation("has an impossible length (\(input.count) characters without padding)")
    }
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for (offset, byte) in input.enumerated() {
      guard let value = sextet(byte) else {
        throw CloudEventSyntaxViolation("has a character outside the base64 alphabet at offset \(offset)")
      }
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        accumulator &= (1 << UInt32(bits)) - 1
      }
    }
    return out
  }

  private static func sextet(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }
}
