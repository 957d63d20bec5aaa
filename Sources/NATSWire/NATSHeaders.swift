/// Ordered, case-preserving NATS headers, repeated keys allowed, optional inline status.
///
/// Follows ADR-4: the block starts with `NATS/1.0`, optionally followed by a three-digit status
/// code and a description (`NATS/1.0 503`, `NATS/1.0 408 Request Timeout`), then `Key: Value`
/// lines. Names keep the case they were written in; lookups try an exact match first and fall
/// back to an ASCII case-insensitive one.
public struct NATSHeaders: Sendable, Hashable, Sequence {
  /// One header line: its name as written and its value.
  public typealias Element = (name: String, value: String)

  /// Stored form of one header line (tuples are not `Hashable`).
  struct Field: Sendable, Hashable {
    var name: String
    var value: String
  }

  /// The header lines in wire order.
  var fields: [Field]

  /// The inline status code from `NATS/1.0 503`; `nil` when absent.
  public var status: Int?

  /// The inline status description, e.g. "No Responders", "Request Timeout", "Idle Heartbeat".
  public var statusDescription: String?

  /// Creates empty headers without status.
  public init() {
    self.fields = []
    self.status = nil
    self.statusDescription = nil
  }

  /// Creates headers from `(name, value)` pairs, kept in order; repeated names are allowed.
  public init(_ pairs: [(String, String)]) {
    self.fields = pairs.map { Field(name: $0.0, value: $0.1) }
    self.status = nil
    self.statusDescription = nil
  }

  /// Creates status-only headers (as the server sends for no-responders and pull status).
  public init(status: Int, description: String? = nil) {
    self.init()
    self.status = status
    self.statusDescription = description
  }

  /// The header lines in wire order.
  public var pairs: [(name: String, value: String)] {
    fields.map { (name: $0.name, value: $0.value) }
  }

  /// `pairs` without tuple labels, built in one pass (relabelling `pairs` copies the array again).
  public var unlabeledPairs: [(String, String)] {
    fields.map { ($0.name, $0.value) }
  }

  /// Whether there are no header lines and no status.
  public var isEmpty: Bool {
    fields.isEmpty && status == nil
  }

  /// The number of header lines.
  public var count: Int { fields.count }

  /// The first value of `name` (exact-case match first, then ASCII case-insensitive).
  /// Setting replaces every value of exactly `name` (in place of the first one); `nil` removes them.
  public subscript(name: String) -> String? {
    get {
      if let exact = fields.first(where: { $0.name == name }) {
        return exact.value
      }
      return fields.first(where: { ASCII.equalsIgnoringCase($0.name, name) })?.value
    }
    set {
      guard let newValue else {
        remove(name)
        return
      }
      if let first = fields.firstIndex(where: { $0.name == name }) {
        fields[first].value = newValue
        var index = fields.index(after: first)
        while index < fields.endIndex {
          if fields[index].name == name {
            fields.remove(at: index)
          } else {
            index = fields.index(after: index)
          }
        }
      } else {
        fields.append(Field(name: name, value: newValue))
      }
    }
  }

  /// All values of `name` in order: the exact-case matches, or, when there are none, the ASCII
  /// case-insensitive ones.
  public func values(for name: String) -> [String] {
    let exact = fields.filter { $0.name == name }.map(\.value)
    if !exact.isEmpty { return exact }
    return fields.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
  }

  /// Whether a header named `name` exists (exact case or ASCII case-insensitive).
  public func contains(_ name: String) -> Bool {
    fields.contains { $0.name == name || ASCII.equalsIgnoringCase($0.name, name) }
  }

  /// Appends a header line, keeping any existing values of the same name.
  public mutating func append(_ name: String, _ value: String) {
    fields.append(Field(name: name, value: value))
  }

  /// Removes every header line named exactly `name`.
  public mutating func remove(_ name: String) {
    fields.removeAll { $0.name == name }
  }

  /// Iterates the header lines in wire order.
  public func makeIterator() -> Iterator {
    Iterator(base: fields.makeIterator())
  }

  /// Iterator over the header lines in wire order.
  public struct Iterator: IteratorProtocol {
    var base: IndexingIterator<[Field]>

    /// The next header line, or `nil` at the end.
    public mutating func next() -> (name: String, value: String)? {
      base.next().map { (name: $0.name, value: $0.value) }
    }
  }
}

extension NATSHeaders: ExpressibleByDictionaryLiteral {
  /// Creates headers from a literal, keeping the written order.
  public init(dictionaryLiteral elements: (String, String)...) {
    self.init(elements)
  }
}

extension NATSHeaders {
  /// Well-known header names.
  public enum Name {
    /// JetStream deduplication id.
    public static let msgId = "Nats-Msg-Id"
    /// Pull status: messages still pending for the request.
    public static let pendingMessages = "Nats-Pending-Messages"
    /// Pull status: bytes still pending for the request.
    public static let pendingBytes = "Nats-Pending-Bytes"
    /// Heartbeat: last consumer sequence delivered.
    public static let lastConsumer = "Nats-Last-Consumer"
    /// Heartbeat: last stream sequence delivered.
    public static let lastStream = "Nats-Last-Stream"
    /// Flow control / heartbeat reply subject that must be answered.
    public static let consumerStalled = "Nats-Consumer-Stalled"
  }

  /// Well-known inline status codes.
  public enum Status {
    /// Idle heartbeat or flow control.
    public static let control = 100
    /// No messages (pull with no_wait).
    public static let noMessages = 404
    /// Request timeout (pull request expired).
    public static let requestTimeout = 408
    /// Conflict: consumer deleted, leadership change, exceeded limits.
    public static let conflict = 409
    /// No responders for a request.
    public static let noResponders = 503
  }
}
