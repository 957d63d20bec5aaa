#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Sends `signal` to `pid` (the C `kill`, named apart from ``NATSServerProcess/kill()``).
func sendPOSIXSignal(_ signal: Int32, to pid: Int32) {
  _ = kill(pid, signal)
}
