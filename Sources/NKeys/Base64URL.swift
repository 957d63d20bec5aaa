/// Base64 with the URL-safe alphabet (`-` and `_`) and no padding, as used in JWTs and nonce signatures.
public enum Base64URL {
  private static let alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  private static let decodeTable: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (value, character) in alphabet.enumerated() {
      table[Int(character)] = Int8(value)
    }
    // Tolerate the standard alphabet too.
    table[Int(UInt8(ascii: "+"))] = 62
    table[Int(UInt8(ascii: "/"))] = 63
    return table
  }()

  /// Encodes `bytes` as unpadded base64url.
  public static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count * 4 + 2) / 3)
    var index = 0
    while index + 3 <= bytes.count {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      output.append(alphabet[Int((chunk >> 18) & 0x3F)])
      output.append(alphabet[Int((chunk >> 12) & 0x3F)])
      output.append(alphabet[Int((chunk >> 6) & 0x3F)])
      output.append(alphabet[Int(chunk & 0x3F)])
      index += 3
    }
    switch bytes.count - index {
    case 1:
      let chunk = UInt32(bytes[index]) << 16
      output.append(alphabet[Int((chunk >> 18) & 0x3F)])
      output.append(alphabet[Int((chunk >> 12) & 0x3F)])
    case 2:
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
      output.append(alphabet[Int((chunk >> 18) & 0x3F)])
      output.append(alphabet[Int((chunk >> 12) & 0x3F)])
      output.append(alphabet[Int((chunk >> 6) & 0x3F)])
    default:
      break
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes base64url, padded or not (the standard `+` `/` alphabet is accepted too).
  ///
  /// Throws ``NKeyError`` with code `invalidEncoding` for a character outside the alphabet or an
  /// impossible length.
  public static func decode(_ text: String) throws(NKeyError) -> [UInt8] {
    var characters = Array(text.utf8)
    while characters.last == UInt8(ascii: "=") {
      characters.removeLast()
    }
    guard characters.count % 4 != 1 else {
      throw NKeyError(
        code: .invalidEncoding, message: "base64url text has an impossible length (\(characters.count))")
    }
    var output: [UInt8] = []
    output.reserveCapacity(characters.count * 3 / 4)
    var buffer: UInt32 = 0
    var bits = 0
    for (offset, character) in characters.enumerated() {
      let value = decodeTable[Int(character)]
      guard value >= 0 else {
        throw NKeyError(
          code: .invalidEncoding, message: "base64url text has an invalid character at offset \(offset)")
      }
      buffer = (buffer << 6) | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return output
  }
}
