import Foundation

/// One server URL of the pool: `nats://[user[:pass]@]host[:port]`, `tls://…`, or a bare `host:port`
/// (as in `connect_urls`, IPv6 as `[::1]:4222`).
public struct NATSServerAddress: Sendable, Hashable, CustomStringConvertible {
  /// Host name or IP address (IPv6 without brackets).
  public var host: String
  /// TCP port (default 4222).
  public var port: Int
  /// `tls://` scheme: TLS is required for this server.
  public var requiresTLS: Bool
  /// Credentials embedded in the URL, if any.
  public var user: String?
  public var password: String?
  /// Token from a URL of the form `nats://token@host`.
  public var token: String? { user != nil && password == nil ? user : nil }

  /// Parses a URL or `host:port`. Throws `.invalidArgument` with the reason.
  public init(parsing text: String) throws(NATSError) {
    var rest = text.trimmingCharacters(in: .whitespaces)
    guard !rest.isEmpty else { throw NATSError(.invalidArgument, "empty server URL") }
    var tls = false
    if let range = rest.range(of: "://") {
      let scheme = rest[rest.startIndex..<range.lowerBound].lowercased()
      switch scheme {
      case "nats": tls = false
      case "tls": tls = true
      default: throw NATSError(.invalidArgument, "unsupported URL scheme '\(scheme)' (use nats:// or tls://)")
      }
      rest = String(rest[range.upperBound...])
    }
    if let slash = rest.firstIndex(of: "/") { rest = String(rest[..<slash]) }
    var user: String?
    var password: String?
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[rest.startIndex..<at]
      rest = String(rest[rest.index(after: at)...])
      if let colon = credentials.firstIndex(of: ":") {
        user = Self.percentDecode(String(credentials[credentials.startIndex..<colon]))
        password = Self.percentDecode(String(credentials[credentials.index(after: colon)...]))
      } else {
        user = Self.percentDecode(String(credentials))
      }
    }
    var host: String
    var portText: Substring?
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else {
        throw NATSError(.invalidArgument, "unterminated IPv6 address in '\(text)'")
      }
      host = String(rest[rest.index(after: rest.startIndex)..<close])
      let after = rest[rest.index(after: close)...]
      if after.hasPrefix(":") {
        portText = after.dropFirst()
      } else if !after.isEmpty {
        throw NATSError(.invalidArgument, "unexpected text after IPv6 address in '\(text)'")
      }
    } else if rest.filter({ $0 == ":" }).count > 1 {
      host = rest  // bare IPv6 without port
    } else if let colon = rest.firstIndex(of: ":") {
      host = String(rest[rest.startIndex..<colon])
      portText = rest[rest.index(after: colon)...]
    } else {
      host = rest
    }
    guard !host.isEmpty else { throw NATSError(.invalidArgument, "missing host in '\(text)'") }
    var port = 4222
    if let portText {
      guard let p = Int(portText), (1...65535).contains(p) else {
        throw NATSError(.invalidArgument, "invalid port '\(portText)' in '\(text)'")
      }
      port = p
    }
    self.host = host
    self.port = port
    self.requiresTLS = tls
    self.user = user
    self.password = password
  }

  /// Creates an address directly.
  public init(host: String, port: Int, requiresTLS: Bool = false) {
    self.host = host
    self.port = port
    self.requiresTLS = requiresTLS
  }

  /// `host:port` (IPv6 in brackets): the identity used to de-duplicate the pool.
  public var hostPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

  /// Whether `host` is a literal IP address (no SNI, IP SAN verification).
  public var hostIsIPAddress: Bool {
    if host.contains(":") { return true }
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
  }

  public var description: String { (requiresTLS ? "tls://" : "nats://") + hostPort }

  private static func percentDecode(_ s: String) -> String {
    guard s.contains("%") else { return s }
    var bytes: [UInt8] = []
    var iterator = Array(s.utf8)[...]
    while let b = iterator.popFirst() {
      if b == UInt8(ascii: "%"), iterator.count >= 2,
        let v = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(v)
        iterator = iterator.dropFirst(2)
      } else {
        bytes.append(b)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
