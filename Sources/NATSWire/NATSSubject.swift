/// Validation of subjects and queue group names, following the server's rules.
///
/// A subject is a non-empty sequence of non-empty tokens separated by `.`. It may not contain
/// whitespace (space, tab, CR, LF, form feed) or other ASCII control characters. `*` and `>` are
/// wildcards only as whole tokens; inside a longer token they are ordinary characters, as the
/// server treats them.
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
    s.utf8.split(separator: ASCII.dot, omittingEmptySubsequences: false).contains { token in
      token.count == 1 && (token.first == ASCII.star || token.first == ASCII.greaterThan)
    }
  }

  /// Whitespace and ASCII control characters, which may not appear in subjects or queue names.
  private static func isForbidden(_ byte: UInt8) -> Bool {
    byte <= ASCII.space || byte == 0x7F
  }

  /// Checks the token rules; wildcard tokens are allowed only when `allowWildcards`.
  private static func validate(_ s: String, allowWildcards: Bool) -> Bool {
    let bytes = s.utf8
    guard !bytes.isEmpty else { return false }
    var tokenLength = 0
    var singleWildcard: UInt8? = nil
    for byte in bytes {
      if isForbidden(byte) { return false }
      if byte == ASCII.dot {
        guard tokenLength > 0 else { return false }
        if let wildcard = singleWildcard {
          guard allowWildcards, wildcard == ASCII.star else { return false }
        }
        tokenLength = 0
        singleWildcard = nil
      } else {
        tokenLength += 1
        let isWildcardByte = byte == ASCII.star || byte == ASCII.greaterThan
        singleWildcard = tokenLength == 1 && isWildcardByte ? byte : nil
      }
    }
    guard tokenLength > 0 else { return false }
    return singleWildcard == nil || allowWildcards
  }
}
