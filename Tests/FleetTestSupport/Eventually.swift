import XCTest

/// Waits (bounded) until `condition` holds; on timeout, fails the test at the caller's line and
/// throws.
public func eventually(
  _ what: String, timeout: Duration = .seconds(20), file: StaticString = #filePath, line: UInt = #line,
  _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if (try? await condition()) == true { return }
    try await Task.sleep(for: .milliseconds(50))
  }
  XCTFail("timed out waiting for: \(what)", file: file, line: line)
  throw CancellationError()
}
