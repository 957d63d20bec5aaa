import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the `fleet` commands read and write: standard output, standard error, standard input
/// and Ctrl-C. Commands never touch the process's streams directly; they use ``current``, a
/// task-local that tests replace with ``capturing(input:)`` to run a command's `run()` in-process
/// and read what it printed.
public struct FleetConsole: Sendable {
  /// Writes text to the command's output (a line already ends in a newline when one is wanted).
  public var writeOutput: @Sendable (String) -> Void
  /// Writes text to the command's error stream.
  public var writeError: @Sendable (String) -> Void
  /// All of standard input, or `nil` when it is a terminal (no piped data).
  public var readInput: @Sendable () -> [UInt8]?
  /// Calls the handler once when the user presses Ctrl-C; the returned value cancels the
  /// registration when released or when its `cancel()` is called.
  public var onInterrupt: @Sendable (@escaping @Sendable () -> Void) -> FleetInterruptRegistration

  /// Creates a console from its parts.
  public init(
    writeOutput: @escaping @Sendable (String) -> Void,
    writeError: @escaping @Sendable (String) -> Void,
    readInput: @escaping @Sendable () -> [UInt8]?,
    onInterrupt: @escaping @Sendable (@escaping @Sendable () -> Void) -> FleetInterruptRegistration
  ) {
    self.writeOutput = writeOutput
    self.writeError = writeError
    self.readInput = readInput
    self.onInterrupt = onInterrupt
  }

  /// Exit code when standard output is closed by its reader (128 + SIGPIPE, as the shell reports).
  public static let closedOutputExitCode: Int32 = 141

  /// The console commands use; the process's standard streams unless a test set another.
  @TaskLocal public static var current = FleetConsole.standard

  /// The process's standard output, error and input; Ctrl-C through a SIGINT dispatch source.
  public static let standard = FleetConsole(
    writeOutput: { text in
      do {
        try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
      } catch {
        // The reader went away (`fleet sub | head`): stop like a process killed by SIGPIPE.
        exit(FleetConsole.closedOutputExitCode)
      }
    },
    writeError: { text in try? FileHandle.standardError.write(contentsOf: Data(text.utf8)) },
    readInput: {
      if isatty(STDIN_FILENO) == 1 { return nil }
      return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    },
    onInterrupt: { handler in FleetInterruptRegistration.signalSource(SIGINT, handler: handler) })

  /// Prints one line to the output.
  public func print(_ line: String) { writeOutput(line + "\n") }

  /// Prints one line to the error stream.
  public func printError(_ line: String) { writeError(line + "\n") }

  /// A console that records everything written, feeds `input` as standard input (`nil` = a
  /// terminal) and lets the test press Ctrl-C with ``FleetConsoleCapture/interrupt()``.
  public static func capturing(input: [UInt8]? = nil) -> (console: FleetConsole, capture: FleetConsoleCapture)
  {
    let capture = FleetConsoleCapture()
    let console = FleetConsole(
      writeOutput: { capture.append(output: $0) },
      writeError: { capture.append(error: $0) },
      readInput: { input },
      onInterrupt: { handler in capture.register(handler) })
    return (console, capture)
  }
}
