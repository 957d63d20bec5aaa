import XCTest

/// The body did not finish before its deadline.
struct DeadlineExceeded: Error {}

/// Runs `body`, throwing ``DeadlineExceeded`` (and cancelling it) if it takes longer than `deadline`.
func withDeadline<T: Sendable>(
  _ deadline: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: deadline)
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let value = first else { throw DeadlineExceeded() }
    return value
  }
}
