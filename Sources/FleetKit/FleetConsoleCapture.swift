import Synchronization

/// What a capturing console recorded (see ``FleetConsole/capturing(input:)``).
public final class FleetConsoleCapture: Sendable {
  private struct State {
    var output = ""
    var error = ""
    var interruptHandlers: [UInt64: @Sendable () -> Void] = [:]
    var nextHandlerID: UInt64 = 0
  }

  private let state = Mutex(State())

  /// Creates an empty capture.
  public init() {}

  /// Everything written to the output so far.
  public var output: String { state.withLock { $0.output } }
  /// Everything written to the error stream so far.
  public var error: String { state.withLock { $0.error } }
  /// The output split into lines (no trailing empty line).
  public var outputLines: [String] {
    output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
  }
  /// Whether a command is waiting for Ctrl-C right now.
  public var hasInterruptHandler: Bool { state.withLock { !$0.interruptHandlers.isEmpty } }

  /// Simulates Ctrl-C: runs every registered handler once.
  public func interrupt() {
    let handlers = state.withLock { state -> [@Sendable () -> Void] in
      defer { state.interruptHandlers.removeAll() }
      return Array(state.interruptHandlers.values)
    }
    for handler in handlers { handler() }
  }

  func append(output text: String) { state.withLock { $0.output += text } }
  func append(error text: String) { state.withLock { $0.error += text } }

  func register(_ handler: @escaping @Sendable () -> Void) -> FleetInterruptRegistration {
    let id = state.withLock { state -> UInt64 in
      state.nextHandlerID += 1
      state.interruptHandlers[state.nextHandlerID] = handler
      return state.nextHandlerID
    }
    return FleetInterruptRegistration { [weak self] in
      _ = self?.state.withLock { $0.interruptHandlers.removeValue(forKey: id) }
    }
  }
}
