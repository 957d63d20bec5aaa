import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Free TCP ports on the loopback interface for test servers.
public enum FreePort {
  /// Ports already handed out in this process, so two calls never return the same port.
  private static let handedOut = Mutex<Set<Int>>([])

  /// Binds 127.0.0.1:0, reads the port the kernel chose and releases it.
  ///
  /// A port is never returned twice by one process. Another process could still take it before the
  /// test server binds it; ``NATSServerProcess/start(jetStream:config:port:storeDir:extraArguments:name:)``
  /// retries on a fresh port when that happens and no port was requested.
  public static func next() throws -> Int {
    for _ in 0..<64 {
      let port = try bindEphemeral()
      let isNew = handedOut.withLock { ports in ports.insert(port).inserted }
      if isNew {
        return port
      }
    }
    throw TestSupportError("no new free loopback port after 64 attempts")
  }

  private static func bindEphemeral() throws -> Int {
    let descriptor = socket(AF_INET, Socket.streamType, 0)
    guard descriptor >= 0 else {
      throw TestSupportError("socket() failed: errno \(errno)")
    }
    defer { close(descriptor) }
    var address = Socket.loopbackAddress(port: 0)
    let bound = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else {
      throw TestSupportError("bind(127.0.0.1:0) failed: errno \(errno)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &length)
      }
    }
    guard named == 0 else {
      throw TestSupportError("getsockname failed: errno \(errno)")
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
