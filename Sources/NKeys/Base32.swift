/// RFC 4648 base32 (alphabet `A–Z2–7`) without padding, the text form of every NKey.
public enum Base32 {
  private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  private static let decodeTable: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (value, character) in alphabet.enumerated() {
      table[Int(character)] = Int8(value)
    }
    return table
  }()

  /// Encodes `bytes` as unpadded base32.
  public static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count * 8 + 4) / 5)
    var buffer: UInt32 = 0
    var bits = 0
    for byte in bytes {
      buffer = (buffer << 8) | UInt32(byte)
      bits += 8
      while bits >= 5 {
        bits -= 5
        output.append(alphabet[Int((buffer >> UInt32(bits)) & 0x1F)])
      }
    }
    if bits > 0 {
      output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1F)])
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes unpadded (or `=`-padded) upper-case base32.
  ///
  /// Throws ``NKeyError`` with code `invalidEncoding` for a character outside the alphabet or a
  /// length no byte string encodes to (1, 3 or 6 characters past a multiple of 8).
  public static func decode(_ text: String) throws(NKeyError) -> [UInt8] {
    var characters = Array(text.utf8)
    while characters.last == UInt8(ascii: "=") {
      characters.removeLast()
    }
    switch characters.count % 8 {
    case 1, 3, 6:
      throw NKeyError(
        code: .invalidEncoding, message: "base32 text has an impossible length (\(characters.count))")
    default:
      break
    }
    var output: [UInt8] = []
    output.reserveCapacity(characters.count * 5 / 8)
    var buffer: UInt32 = 0
    var bits = 0
    for (offset, character) in characters.enumerated() {
      let value = decodeTable[Int(character)]
      guard value >= 0 else {
        throw NKeyError(
          code: .invalidEncoding, message: "base32 text has an invalid character at offset \(offset)")
      }
      buffer = (buffer << 5) | UInt32(value)
      bits += 5
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    return output
  }
}
