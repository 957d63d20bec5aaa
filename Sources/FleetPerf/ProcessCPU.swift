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

  /// Another process, from `utime` and `stime` of /proc/<pid>/stat; nil where that is unreadable.
  static func seconds(pid: Int32) -> Double? {
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
