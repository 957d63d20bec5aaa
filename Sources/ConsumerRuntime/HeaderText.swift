/// Makes text safe for a NATS header value or a log/ledger field: no control characters (CR/LF
/// would break the header block), bounded length.
enum HeaderText {
  /// Longest error text kept in headers, ledger rows and TERM reasons.
  static let maxLength = 500

  /// Control characters become spaces; the result is cut at `limit` characters.
  static func value(_ text: String, limit: Int = maxLength) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count >= limit { break }
      if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
        out.unicodeScalars.append(" ")
      } else {
        out.unicodeScalars.append(scalar)
      }
      count += 1
    }
    return out
  }
}
