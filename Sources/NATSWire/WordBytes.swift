/// Byte tests on eight bytes at once (a little-endian `UInt64` word): each answers with 0x80 in
/// every byte of the word for which the test holds and 0 elsewhere. The masks are exact (no carry
/// crosses from one byte into the next), so any flag, not only the lowest, can be trusted.
enum WordBytes {
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

  /// The eight bytes at `offset` of `bytes` as a word, the first byte lowest.
  @inline(__always)
  static func load(_ bytes: UnsafeRawPointer, at offset: Int) -> UInt64 {
    UInt64(littleEndian: (bytes + offset).loadUnaligned(as: UInt64.self))
  }

  /// Bytes of `word` equal to `byte`.
  @inline(__always)
  static func equal(to byte: UInt8, in word: UInt64) -> UInt64 {
    zero(word ^ (ones &* UInt64(byte)))
  }

  /// Bytes of `word` below `limit` (at most 0x80).
  @inline(__always)
  static func below(_ limit: UInt8, in word: UInt64) -> UInt64 {
    // High bit clear, and adding 0x80 - limit to the low seven bits leaves it clear.
    ~(((word & low7) &+ (ones &* UInt64(0x80 - limit))) | word | low7)
  }

  /// Zero bytes of `word`.
  @inline(__always)
  static func zero(_ word: UInt64) -> UInt64 {
    ~(((word & low7) &+ low7) | word | low7)
  }
}
