import ArgumentParser
import FleetKit
import Foundation
import NATS
import NATSTestSupport
import StreamTopology
import Synchronization
import XCTest

/// Helpers shared by the FleetKit tests: running verbs in-process with a capturing console,
/// bounded waits, and the repository's streams/ folder.
enum FleetTest {
  struct TestFailure: Error, CustomStringConvertible {
    var description: String
  }

  /// Parses `arguments` as `fleet` would and runs the verb with a capturing console (bounded by
  /// `seconds`); errors propagate.
  @discardableResult
  static func run(_ arguments: [String], input: [UInt8]? = nil, seconds: Double = 30) async throws
    -> FleetConsoleCapture
  {
    let (console, capture) = FleetConsole.capturing(input: input)
    try await withDeadline(seconds, "fleet \(arguments.joined(separator: " "))") {
      try await run(arguments, console: console)
    }
    return capture
  }

  /// Parses and runs `arguments` with `console`.
  static func run(_ arguments: [String], console: FleetConsole) async throws {
    let parsed = try FleetCommand.parseAsRoot(arguments)
    guard var command = parsed as? any AsyncParsableCommand else {
      throw TestFailure(description: "not an async command: \(arguments)")
    }
    try await FleetConsole.$current.withValue(console) {
      try await command.run()
    }
  }

  /// Runs `arguments` through `FleetCommand.execute` (error printing and exit code, as `main`).
  static func execute(_ arguments: [String]) async throws -> (code: Int32, capture: FleetConsoleCapture) {
    let (console, capture) = FleetConsole.capturing()
    let parsed = try FleetCommand.parseAsRoot(arguments)
    let box = UncheckedCommand(command: parsed)
    let code = try await withDeadline(30, "fleet \(arguments.joined(separator: " "))") {
      await FleetConsole.$current.withValue(console) {
        await FleetCommand.execute(box.command, console: console)
      }
    }
    return (code, capture)
  }

  /// A parsed command handed to the task that runs it (commands hold only parsed values).
  struct UncheckedCommand: @unchecked Sendable {
    var command: any ParsableCommand
  }

  /// Runs `body` in its own task and returns its result, or throws `TestFailure` once `seconds`
  /// pass, even when `body` ignores cancellation (it is cancelled and left behind), so a hung
  /// call fails the test instead of hanging the run.
  static func withDeadline<T: Sendable>(
    _ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      let race = DeadlineRace(continuation)
      let worker = Task {
        do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
      }
      Task {
        try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        race.finish(.failure(TestFailure(description: "deadline exceeded: \(what)")))
        worker.cancel()
      }
    }
  }

  /// Resumes a continuation with whichever result comes first.
  final class DeadlineRace<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
      self.continuation = Mutex(continuation)
    }

    func finish(_ result: Result<T, any Error>) {
      let pending = continuation.withLock { value -> CheckedContinuation<T, any Error>? in
        defer { value = nil }
        return value
      }
      pending?.resume(with: result)
    }
  }

  /// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
  static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool
  {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
      if try await condition() { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
  }

  /// The repository's streams/ folder, found from this file's real (symlink-resolved) location.
  static var streamsDirectory: String {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("streams").path
  }

  /// A copy of the streams/ folder in a fresh temporary directory.
  static func copyOfStreams() throws -> String {
    let target = FileManager.default.temporaryDirectory
      .appendingPathComponent("fleet-streams-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.copyItem(atPath: streamsDirectory, toPath: target)
    return target
  }

  /// Connects a plain client to `server` for test setup and checks.
  static func client(_ server: NATSServerProcess) async throws -> NATSClient {
    var options = NATSClientOptions(servers: [server.url])
    options.connectTimeout = .seconds(5)
    options.requestTimeout = .seconds(5)
    return try await NATSClient.connect(options)
  }
}
