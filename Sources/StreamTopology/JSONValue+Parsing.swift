extension JSONValue {
  /// The deepest array/object nesting the parser accepts; deeper input is an error, not a stack overflow.
  public static let maximumParseDepth = 256

  /// Parses exactly one JSON value (RFC 8259) from UTF-8 bytes, surrounded by optional whitespace.
  ///
  /// Never traps: malformed, truncated or too deeply nested input throws a ``JSONParseError``.
  /// Integral literals become ``int(_:)`` when they fit in `Int64`, otherwise ``number(_:)``.
  public init(parsing bytes: [UInt8]) throws(JSONParseError) {
    var parser = JSONByteParser(bytes: bytes)
    self = try parser.parseDocument()
  }

  /// Parses exactly one JSON value from a string (see ``init(parsing:)-(_:[UInt8])``).
  public init(parsing text: String) throws(JSONParseError) {
    try self.init(parsing: Array(text.utf8))
  }
}
