import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a short command-line tool (openssl, pyenv) to completion with a deadline.
enum ToolRunner {
  /// The tool's exit status and combined output.
  struct Result {
    var status: Int32
    var output: String
  }

  /// Runs `arguments[0]` (looked up on PATH through /usr/bin/env) and waits at most `timeout` seconds,
  /// killing it past that. Output (stdout and stderr together) goes through a temp file, so a chatty
  /// tool cannot block on a full pipe.
  static func run(_ arguments: [String], in directory: String? = nil, timeout: Double = 60) throws -> Result {
    let outputPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("tool-\(UUID().uuidString).out").path
    guard FileManager.default.createFile(atPath: outputPath, contents: nil),
      let output = FileHandle(forWritingAtPath: outputPath)
    else {
      throw TestSupportError("cannot create \(outputPath) for tool output")
    }
    defer { try? FileManager.default.removeItem(atPath: outputPath) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory {
      process.currentDirectoryURL = URL(fileURLWithPath: directory)
    }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = output
    do {
      try process.run()
    } catch {
      try? output.close()
      throw TestSupportError("cannot run \(arguments.first ?? "?"): \(error)")
    }
    try? output.close()

    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline {
      usleep(20_000)
    }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      let killDeadline = Date().addingTimeInterval(5)
      while process.isRunning, Date() < killDeadline { usleep(20_000) }
      throw TestSupportError("\(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
    }
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return Result(status: process.terminationStatus, output: text)
  }

  /// Runs the tool and throws with its output unless it exits 0.
  @discardableResult
  static func check(_ arguments: [String], in directory: String? = nil, timeout: Double = 60) throws -> String
  {
    let result = try run(arguments, in: directory, timeout: timeout)
    guard result.status == 0 else {
      throw TestSupportError(
        "\(arguments.prefix(3).joined(separator: " ")) … failed with status \(result.status): \(result.output)"
      )
    }
    return result.output
  }
}
