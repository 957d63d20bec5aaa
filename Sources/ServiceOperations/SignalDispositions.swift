import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps the default action of a signal away while at least one ``ShutdownSignals`` stream listens to it.
enum SignalDispositions {
  /// Streams listening, by signal number.
  private static let listeners = Mutex<[Int32: Int]>([:])

  /// A stream starts listening to `signalNumber`.
  static func install(_ signalNumber: Int32) {
    listeners.withLock { listeners in
      listeners[signalNumber, default: 0] += 1
      #if canImport(Darwin)
        if listeners[signalNumber] == 1 { _ = signal(signalNumber, SIG_IGN) }
      #else
        if dispositionIsDefault(signalNumber) { _ = signal(signalNumber, SIG_IGN) }
      #endif
    }
  }

  /// A stream stopped listening to `signalNumber`.
  static func release(_ signalNumber: Int32) {
    listeners.withLock { listeners in
      let remaining = max(0, listeners[signalNumber, default: 0] - 1)
      listeners[signalNumber] = remaining == 0 ? nil : remaining
      #if canImport(Darwin)
        if remaining == 0 { _ = signal(signalNumber, SIG_DFL) }
      #endif
    }
  }

  /// Whether `signalNumber` still has its default action (no handler installed, not ignored).
  static func dispositionIsDefault(_ signalNumber: Int32) -> Bool {
    var current = sigaction()
    guard sigaction(signalNumber, nil, &current) == 0 else { return false }
    #if canImport(Darwin)
      return current.__sigaction_u.__sa_handler == nil
    #else
      return current.__sigaction_handler.sa_handler == nil
    #endif
  }
}
