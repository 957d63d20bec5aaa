/// Writes JSON string literals (RFC 8259) byte-identical to Foundation's `JSONEncoder`: `"` and
/// `\` escaped, control characters as the short escapes or `\u00XX`, `/` as `\/` unless
/// `.withoutEscapingSlashes` is wanted, everything else as UTF-8. One place for the hand-written
/// JSON writers of the hot paths (CloudEvents, notification bodies, stored code lists).
public enum JSONStringLiteral {
  /// Appends `value` as a quoted JSON string.
  /// - Parameter escapingSlashes: `true` writes `/` as `\/` (JSONEncoder's default output).
  ///
  /// Runs of bytes that need no escape are copied whole (most strings are one run): appending
  /// byte by byte was 1.7 % of a consumer service's CPU, in the audit envelope it encodes per
  /// event.
  public static func append(_ value: String, to out: inout [UInt8], escapingSlashes: Bool = false) {
    var value = value
    value.withUTF8 { bytes in
      // No reserveCapacity here: it grows an array to exactly the size asked, so a writer
      // appending member after member copied its whole buffer on every string. Appends grow it
      // geometrically.
      out.append(UInt8(ascii: "\""))
      var runStart = 0
      for index in 0..<bytes.count {
        let byte = bytes[index]
        let plain =
          byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
          && (byte != UInt8(ascii: "/") || !escapingSlashes)
        if plain { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        appendEscape(of: byte, to: &out)
        runStart = index + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
      out.append(UInt8(ascii: "\""))
    }
  }

  /// The escape of `byte`: `"`, `\`, `/`, or a control character.
  private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
    switch byte {
    case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
    case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
    case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
    case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
    case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
    case 0x00..<0x20:
      out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
      out.append(hexDigits[Int(byte >> 4)])
      out.append(hexDigits[Int(byte & 0x0F)])
    default:
      // `"`, `\` and (when asked) `/`.
      out.append(contentsOf: [UInt8(ascii: "\\"), byte])
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
