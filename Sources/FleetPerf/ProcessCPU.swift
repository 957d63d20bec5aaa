import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// CPU time (user + system) of this process or of another local one, in seconds.
enum ProcessCPU {
  /// This process (`getrusage(RUSAGE_SELF)`); 0 if the call fails.
  static func ownSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }

  /// Linux's highest possible pid (`PID_MAX_LIMIT` on 64-bit).
  static let pidLimit: Int32 = 4_194_304

  /// Another process: its CPU-time clock (`clock_getcpuclockid`, nanoseconds, threads that
  /// exited included), else `utime` + `stime` of /proc/<pid>/stat (whole clock ticks, 10 ms here,
  /// too coarse for a short phase); nil where neither is readable.
  static func seconds(pid: Int32) -> Double? {
    var clock = clockid_t()
    var time = timespec()
    // A clock id holds the pid shifted left by 3 bits, so a pid above Linux's limit (2^22) would
    // wrap to another process's clock; no such pid exists anyway.
    if pid > 0, pid <= pidLimit, clock_getcpuclockid(pid, &clock) == 0, clock_gettime(clock, &time) == 0 {
      return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
    return seconds(statLine: text, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
  }

  /// Parses a /proc/<pid>/stat line. The command name (field 2) is in parentheses and may hold
  /// spaces, so fields are counted after its closing parenthesis: utime and stime are fields 14
  /// and 15 of the line, the 12th and 13th after the name.
  static func seconds(statLine: String, ticksPerSecond: Double) -> Double? {
    guard ticksPerSecond > 0, let close = statLine.lastIndex(of: ")") else { return nil }
    let fields = statLine[statLine.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
      return nil
    }
    return (user + system) / ticksPerSecond
  }
}

/// CPU used by this process and, when its pid is known, by a local server, from `init` on.
struct CPUSpan {
  private let serverPID: Int32?
  private let own0: Double
  private let server0: Double?

  /// Starts the span now.
  init(serverPID: Int32?) {
    self.serverPID = serverPID
    own0 = ProcessCPU.ownSeconds()
    server0 = serverPID.flatMap { ProcessCPU.seconds(pid: $0) }
  }

  /// CPU used since `init` per event, µs: this process, and the server (nil without a readable pid).
  func microsecondsPerEvent(_ events: Int) -> (own: Double, server: Double?) {
    let per = 1e6 / Double(max(events, 1))
    let own = ProcessCPU.ownSeconds() - own0
    let server = serverPID.flatMap { ProcessCPU.seconds(pid: $0) }.flatMap { end in server0.map { end - $0 } }
    return (own * per, server.map { $0 * per })
  }
}
