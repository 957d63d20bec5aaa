/// Byte values the NATS protocol is built from.
enum ASCII {
  static let cr: UInt8 = 0x0D
  static let lf: UInt8 = 0x0A
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
  static let colon: UInt8 = 0x3A
  static let dot: UInt8 = 0x2E
  static let star: UInt8 = 0x2A
  static let greaterThan: UInt8 = 0x3E
  static let quote: UInt8 = 0x27
  static let dash: UInt8 = 0x2D
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39

  /// Space or horizontal tab: the protocol's field separators.
  @inline(__always)
  static func isBlank(_ byte: UInt8) -> Bool {
    byte == space || byte == tab
  }

  /// An ASCII decimal digit.
  @inline(__always)
  static func isDigit(_ byte: UInt8) -> Bool {
    byte >= zero && byte <= nine
  }

  /// The byte with ASCII `A`–`Z` folded to lower case.
  @inline(__always)
  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }

  /// Whether two strings are equal ignoring ASCII case (non-ASCII bytes must match exactly).
  static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
    let left = lhs.utf8
    let right = rhs.utf8
    guard left.count == right.count else { return false }
    return zip(left, right).allSatisfy { lowercased($0) == lowercased($1) }
  }

  /// Number of decimal digits of `value`.
  @inline(__always)
  static func decimalDigitCount(_ value: UInt64) -> Int {
    var count = 1
    var rest = value
    while rest >= 10 {
      rest /= 10
      count += 1
    }
    return count
  }
}
