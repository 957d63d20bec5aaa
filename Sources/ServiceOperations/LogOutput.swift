#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where ``FleetLogHandler`` sends its lines; each call receives one whole line ending in `\n`.
public struct LogOutput: Sendable {
  /// Receives one complete line, newline included.
  public let write: @Sendable (String) -> Void

  /// An output that hands every line to `write` (tests capture lines this way).
  public init(_ write: @escaping @Sendable (String) -> Void) {
    self.write = write
  }

  /// Standard error: each line goes out in one `write(2)`, so concurrent lines do not interleave.
  public static let standardError = LogOutput { line in writeAll(line, to: 2) }

  /// Standard output, written like ``standardError``.
  public static let standardOutput = LogOutput { line in writeAll(line, to: 1) }

  /// Writes every byte of `line` to `descriptor`, retrying on `EINTR` and partial writes; gives up on errors.
  static func writeAll(_ line: String, to descriptor: Int32) {
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(descriptor, base + offset, buffer.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          return
        }
      }
    }
  }
}

/// `write(2)`, named apart from ``LogOutput/write``.
private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, pointer, count)
}
