import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A registered Ctrl-C handler; `cancel()` (or releasing it) removes the registration.
public final class FleetInterruptRegistration: Sendable {
  private let cancellation: Mutex<(@Sendable () -> Void)?>

  /// Creates a registration whose cancellation runs `cancel` once.
  public init(cancel: @escaping @Sendable () -> Void) {
    self.cancellation = Mutex(cancel)
  }

  deinit { cancel() }

  /// Removes the handler; later calls do nothing.
  public func cancel() {
    let action = cancellation.withLock { value -> (@Sendable () -> Void)? in
      defer { value = nil }
      return value
    }
    action?()
  }

  /// Handles `signalNumber` with a dispatch source (the default action is ignored while registered).
  /// The default action of the signal is restored when the registration is cancelled.
  static func signalSource(
    _ signalNumber: Int32, handler: @escaping @Sendable () -> Void
  ) -> FleetInterruptRegistration {
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
    signal(signalNumber, SIG_IGN)
    source.setEventHandler(handler: handler)
    source.resume()
    let box = SignalSourceBox(source: source)
    return FleetInterruptRegistration {
      box.source.cancel()
      signal(signalNumber, SIG_DFL)
    }
  }
}

/// Carries a dispatch signal source (thread-safe itself) into the cancellation closure.
private struct SignalSourceBox: @unchecked Sendable {
  let source: any DispatchSourceSignal
}
