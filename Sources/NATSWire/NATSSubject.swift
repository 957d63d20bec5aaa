/// Validation of subjects and queue group names, following the server's rules.
///
/// A subject is a non-empty sequence of non-empty tokens separated by `.`. It may not contain
/// whitespace (space, tab, CR, LF, form feed) or other ASCII control characters. `*` and `>` are
/// wildcards only as whole tokens; inside a longer token they are ordinary characters, as the
/// server treats them.
///
/// Every check is one pass over the UTF-8 bytes, without allocating (native strings are read in
/// place; others are walked through their UTF-8 view).
public enum NATSSubject {
  /// Whether `s` can be published to: non-empty tokens, no wildcards, no whitespace.
  public static func isValidPublish(_ s: String) -> Bool {
    validate(s, allowWildcards: false)
  }

  /// Whether `s` can be subscribed to: `*` as whole tokens, `>` only as the last token.
  public static func isValidSubscribe(_ s: String) -> Bool {
    validate(s, allowWildcards: true)
  }

  /// Whether `s` can be a queue group name: non-empty, no whitespace or control characters.
  public static func isValidQueueGroup(_ s: String) -> Bool {
    !s.isEmpty && !s.utf8.contains(where: isForbidden)
  }

  /// Whether `s` contains a wildcard token (`*` or `>`).
  public static func hasWildcards(_ s: String) -> Bool {
    var tokenLength = 0
    var singleWildcard = false
    for byte in s.utf8 {
      if byte == ASCII.dot {
        if singleWildcard { return true }
        tokenLength = 0
      } else {
        tokenLength += 1
        singleWildcard = tokenLength == 1 && (byte == ASCII.star || byte == ASCII.greaterThan)
      }
    }
    return singleWildcard
  }

  /// Whitespace and ASCII control characters, which may not appear in subjects or queue names.
  @inline(__always)
  private static func isForbidden(_ byte: UInt8) -> Bool {
    byte <= ASCII.space || byte == 0x7F
  }

  /// Checks the token rules; wildcard tokens are allowed only when `allowWildcards`.
  private static func validate(_ s: String, allowWildcards: Bool) -> Bool {
    let contiguous = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      switch quickCheck(bytes) {
      case .invalid: return false
      case .validWithoutWildcardBytes: return true
      case .hasWildcardBytes: return validate(bytes, allowWildcards: allowWildcards)
      }
    }
    if let contiguous { return contiguous }
    return validate(s.utf8, allowWildcards: allowWildcards)
  }

  /// The outcome of ``quickCheck(_:)``.
  private enum QuickCheck {
    case invalid
    case validWithoutWildcardBytes
    case hasWildcardBytes
  }

  /// A branch-free pass for the common case: finds forbidden bytes and empty tokens (a leading or
  /// trailing dot, two dots in a row) and notes whether any `*` or `>` byte occurs at all. Only
  /// subjects with such a byte need the token-by-token rules. Eight bytes at a time (an ack
  /// subject is 50-70 bytes), then byte by byte.
  @inline(__always)
  private static func quickCheck(_ bytes: UnsafeBufferPointer<UInt8>) -> QuickCheck {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return .invalid }
    let count = bytes.count
    let raw = UnsafeRawPointer(base)
    var invalid: UInt64 = 0
    var wildcard: UInt64 = 0
    // Bit 63 set when the byte before the current word was a dot (the start counts as one).
    var previousDot: UInt64 = 1 << 63
    var index = 0
    while count - index >= 8 {
      let word = WordBytes.load(raw, at: index)
      let dots = WordBytes.equal(to: ASCII.dot, in: word)
      invalid |= WordBytes.below(ASCII.space + 1, in: word) | WordBytes.equal(to: 0x7F, in: word)
      // A dot right after a dot: this word's dots against the previous byte's.
      invalid |= dots & ((dots << 8) | (previousDot >> 56))
      wildcard |= WordBytes.equal(to: ASCII.star, in: word) | WordBytes.equal(to: ASCII.greaterThan, in: word)
      previousDot = dots & (1 << 63)
      index += 8
    }
    var flags: UInt8 = (invalid != 0 ? 1 : 0) | (wildcard != 0 ? 2 : 0)
    var previousWasDot: UInt8 = previousDot != 0 ? 1 : 0
    while index < count {
      let byte = base[index]
      let isDot: UInt8 = byte == ASCII.dot ? 1 : 0
      let forbidden: UInt8 = isForbidden(byte) ? 1 : 0
      let isWildcard: UInt8 = byte == ASCII.star || byte == ASCII.greaterThan ? 2 : 0
      flags |= (isDot & previousWasDot) | forbidden | isWildcard
      previousWasDot = isDot
      index += 1
    }
    flags |= previousWasDot
    if flags & 1 != 0 { return .invalid }
    return flags & 2 == 0 ? .validWithoutWildcardBytes : .hasWildcardBytes
  }

  /// The token rules over any sequence of UTF-8 bytes, in one pass.
  @inline(__always)
  private static func validate<Bytes: Sequence>(_ bytes: Bytes, allowWildcards: Bool) -> Bool
  where Bytes.Element == UInt8 {
    var tokenLength = 0
    // The byte of the current token when it is a lone `*` or `>`; 0 otherwise.
    var singleWildcard: UInt8 = 0
    for byte in bytes {
      if isForbidden(byte) { return false }
      if byte == ASCII.dot {
        guard tokenLength > 0 else { return false }
        if singleWildcard != 0 {
          guard allowWildcards, singleWildcard == ASCII.star else { return false }
        }
        tokenLength = 0
        singleWildcard = 0
      } else {
        tokenLength += 1
        singleWildcard = tokenLength == 1 && (byte == ASCII.star || byte == ASCII.greaterThan) ? byte : 0
      }
    }
    guard tokenLength > 0 else { return false }
    return singleWildcard == 0 || allowWildcards
  }
}
