/// NATS subject and filter arithmetic: `*` matches one token, a final `>` matches one or more.
///
/// Every function is total: an invalid subject or filter (empty token, `>` not last, whitespace)
/// matches and overlaps nothing rather than trapping.
public enum SubjectMatch {
  /// Whether the literal `subject` is delivered to a subscription or consumer filtered on `filter`.
  public static func matches(subject: String, filter: String) -> Bool {
    guard let subjectTokens = tokens(of: subject), !subjectTokens.contains(where: isWildcard),
      let filterTokens = tokens(of: filter)
    else { return false }
    for (position, filterToken) in filterTokens.enumerated() {
      if filterToken == ">" { return subjectTokens.count > position }
      guard position < subjectTokens.count else { return false }
      if filterToken != "*" && filterToken != subjectTokens[position] { return false }
    }
    return subjectTokens.count == filterTokens.count
  }

  /// Whether at least one literal subject matches both filters (JetStream's "overlapping" filters).
  public static func overlaps(_ a: String, _ b: String) -> Bool {
    guard let left = tokens(of: a), let right = tokens(of: b) else { return false }
    for position in 0..<min(left.count, right.count) {
      let l = left[position]
      let r = right[position]
      if l == ">" || r == ">" { return true }
      if l == "*" || r == "*" || l == r { continue }
      return false
    }
    return left.count == right.count
  }

  /// Whether every subject matching `filter` also matches `superset` (`a.b` ⊆ `a.*` ⊆ `a.>`).
  public static func isSubset(_ filter: String, of superset: String) -> Bool {
    guard let inner = tokens(of: filter), let outer = tokens(of: superset) else { return false }
    for (position, innerToken) in inner.enumerated() {
      guard position < outer.count else { return false }
      let outerToken = outer[position]
      if outerToken == ">" { return true }
      if innerToken == ">" { return false }
      if outerToken == "*" { continue }
      if innerToken == "*" || innerToken != outerToken { return false }
    }
    return inner.count == outer.count
  }

  /// Whether `filter` is a well-formed subject filter (non-empty tokens, `>` only as the last token).
  public static func isValidFilter(_ filter: String) -> Bool {
    tokens(of: filter) != nil
  }

  /// Whether `subject` is a well-formed literal subject (a valid filter without wildcards).
  public static func isValidSubject(_ subject: String) -> Bool {
    guard let parts = tokens(of: subject) else { return false }
    return !parts.contains(where: isWildcard)
  }

  /// The tokens of a valid filter, or `nil` when it is malformed.
  static func tokens(of filter: String) -> [Substring]? {
    guard !filter.isEmpty else { return nil }
    let parts = filter.split(separator: ".", omittingEmptySubsequences: false)
    for (position, part) in parts.enumerated() {
      if part.isEmpty { return nil }
      if part.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }) { return nil }
      if part == ">" && position != parts.count - 1 { return nil }
      if part.count > 1 && (part.contains("*") || part.contains(">")) {
        // "a*" is a literal token in NATS, but never what a topology author meant.
        return nil
      }
    }
    return parts
  }

  private static func isWildcard(_ token: Substring) -> Bool {
    token == "*" || token == ">"
  }
}
