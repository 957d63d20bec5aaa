import FleetTestSupport
import Foundation
import NATSTestSupport
import Synchronization
import XCTest

/// The real `charge-capture` executable as deployed: preloaded with jemalloc its start line says
/// so (a deployment without it is visible in the log), without it the line says libc. In both runs
/// no NATS server is reachable, and SIGTERM still stops the service with exit 0 (it used to wait
/// for a server until SIGKILL).
final class ServiceProcessStartTests: XCTestCase {
  func testStartLineNamesTheAllocatorAndSIGTERMStopsAServiceThatNeverConnected() async throws {
    let binary = try CrashRecoveryTests.executable("charge-capture")
    guard let jemalloc = Self.jemallocPath() else {
      throw XCTSkip("libjemalloc2 is not installed (ops/scripts/install-deps.sh installs it)")
    }
    for (preload, expected) in [(jemalloc, "jemalloc 5."), ("", "libc malloc")] {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "start-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: binary)
      process.environment = [
        "NATS_URL": "nats://127.0.0.1:\(try FreePort.next())",
        "LEDGER_PATH": directory.appendingPathComponent("ledger.sqlite").path,
        "TENANTS": FleetHarness.orgA, "HTTP_PORT": "0", "LOG_FORMAT": "json", "LD_PRELOAD": preload,
      ]
      let output = OutputCollector()
      let pipe = Pipe()
      pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
      process.standardOutput = pipe
      process.standardError = pipe
      try process.run()

      try await eventually("the start line (preload '\(preload)')", timeout: .seconds(30)) {
        output.startLine != nil
      }
      let line = try XCTUnwrap(output.startLine)
      let fields = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let allocator = try XCTUnwrap(fields["allocator"] as? String, line)
      XCTAssertTrue(allocator.hasPrefix(expected), "preload '\(preload)': \(allocator)")

      process.terminate()  // SIGTERM, while the client still retries its first connect
      try await eventually("exit after SIGTERM (preload '\(preload)')", timeout: .seconds(20)) {
        !process.isRunning
      }
      pipe.fileHandleForReading.readabilityHandler = nil
      XCTAssertEqual(process.terminationReason, .exit)
      XCTAssertEqual(process.terminationStatus, 0, output.text)
      XCTAssertTrue(output.text.contains("stopped before it connected to NATS"), output.text)
    }
  }

  /// `ops/scripts/jemalloc-path.sh`'s answer, or nil when jemalloc is not installed.
  static func jemallocPath() -> String? {
    let process = Process()
    process.executableURL = FleetHarness.repositoryRoot.appendingPathComponent("ops/scripts/jemalloc-path.sh")
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0 && !path.isEmpty ? path : nil
  }
}

/// What a child process wrote, collected from a pipe's readability handler.
private final class OutputCollector: Sendable {
  private let buffer = Mutex(Data())

  func append(_ data: Data) { buffer.withLock { $0.append(data) } }

  var text: String { buffer.withLock { String(decoding: $0, as: UTF8.self) } }

  /// The service's "… starting" log line (JSON), once written.
  var startLine: String? {
    text.split(separator: "\n").first { $0.contains("\"msg\":\"charge-capture starting\"") }.map(String.init)
  }
}
