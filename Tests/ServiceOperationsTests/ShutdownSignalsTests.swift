import XCTest

@testable import ServiceOperations

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

final class ShutdownSignalsTests: XCTestCase {
  func testStreamCanBeCreatedAndCancelled() async throws {
    XCTAssertEqual(ShutdownSignals.shutdownSignals, [SIGTERM, SIGINT])
    let stream = ShutdownSignals.stream()
    let listener = Task {
      var received: [Int32] = []
      for await signalNumber in stream { received.append(signalNumber) }
      return received
    }
    listener.cancel()
    let received = try await withDeadline(.seconds(10)) { await listener.value }
    XCTAssertEqual(received, [])
  }

  func testDeliversASignalInsteadOfTheDefaultAction() async throws {
    // SIGUSR2 would terminate the test process if the stream did not take it over.
    let stream = ShutdownSignals.stream(signals: [SIGUSR2])
    let received = try await withDeadline(.seconds(10)) {
      await withTaskGroup(of: Int32?.self) { group in
        group.addTask {
          for await signalNumber in stream { return signalNumber }
          return nil
        }
        group.addTask {
          // Dispatch registers the source asynchronously; signal until it reports one. A process-directed
          // kill() like the orchestrator's SIGTERM: raise() would target this thread, where libdispatch
          // keeps the signal blocked.
          while !Task.isCancelled {
            kill(getpid(), SIGUSR2)
            try? await Task.sleep(for: .milliseconds(20))
          }
          return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
      }
    }
    XCTAssertEqual(received, SIGUSR2)
  }
}
