#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small blocking loopback socket helpers for readiness probes (test support only, never in product code).
enum Socket {
  #if canImport(Glibc) || canImport(Musl)
    static let streamType = Int32(SOCK_STREAM.rawValue)
  #else
    static let streamType = SOCK_STREAM
  #endif

  /// `127.0.0.1:port` as a `sockaddr_in`.
  static func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    #if canImport(Darwin)
      address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
  }

  /// Opens a TCP connection to 127.0.0.1:`port`; returns the descriptor or nil if refused.
  static func connectLoopback(port: Int, receiveTimeoutSeconds: Int = 2) -> Int32? {
    let descriptor = socket(AF_INET, streamType, 0)
    guard descriptor >= 0 else { return nil }
    var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = loopbackAddress(port: port)
    let connected = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(descriptor)
      return nil
    }
    return descriptor
  }

  /// Whether something accepts TCP connections on 127.0.0.1:`port`.
  static func accepts(port: Int) -> Bool {
    guard let descriptor = connectLoopback(port: port) else { return false }
    close(descriptor)
    return true
  }

  /// Connects and reads the first CRLF-terminated line (a NATS server's INFO), at most 64 KiB,
  /// bounded by the receive timeout. Nil if the connection fails or no full line arrives.
  static func firstLine(port: Int) -> String? {
    guard let descriptor = connectLoopback(port: port) else { return nil }
    defer { close(descriptor) }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while received.count < 65_536 {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else { return nil }
      received.append(contentsOf: chunk.prefix(count))
      if let end = received.firstIndex(of: UInt8(ascii: "\n")) {
        return String(decoding: received[..<end], as: UTF8.self)
          .trimmingCharacters(in: "\r")
      }
    }
    return nil
  }
}

extension String {
  fileprivate func trimmingCharacters(in character: Character) -> String {
    var result = Substring(self)
    while result.last == character { result = result.dropLast() }
    return String(result)
  }
}
