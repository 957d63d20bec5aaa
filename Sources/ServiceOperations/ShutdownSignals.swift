import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// SIGTERM and SIGINT as an async sequence, for graceful shutdown in `@main`.
///
/// While a stream is installed the signals no longer terminate the process; the stream yields them
/// instead. Cancelling the iterating task (or dropping the stream) removes the signal sources.
///
/// Platform note: on Darwin, Dispatch delivers signals through kqueue next to the normal disposition, so the
/// stream sets `SIG_IGN` and restores `SIG_DFL` once the last stream ends. On Linux, libdispatch installs its
/// own handler when the first signal source is registered and keeps it; resetting the disposition would
/// break every later source, so there the stream only sets `SIG_IGN` when the disposition is still the
/// default (covering the moment before libdispatch takes over) and never resets it.
public enum ShutdownSignals {
  /// The signals ``stream()`` reports.
  public static let shutdownSignals: [Int32] = [SIGTERM, SIGINT]

  /// A new stream of SIGTERM / SIGINT numbers, as they arrive.
  public static func stream() -> AsyncStream<Int32> {
    stream(signals: shutdownSignals)
  }

  /// A stream of `signals`; ``stream()`` with other signals, for tests.
  static func stream(signals: [Int32]) -> AsyncStream<Int32> {
    let (stream, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(8))
    let queue = DispatchQueue(label: "fleet.shutdown-signals")
    var sources: [any DispatchSourceSignal] = []
    for signalNumber in signals {
      SignalDispositions.install(signalNumber)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { continuation.yield(signalNumber) }
      source.resume()
      sources.append(source)
    }
    let installed = InstalledSignalSources(sources: sources, signals: signals)
    continuation.onTermination = { _ in installed.remove() }
    return stream
  }
}

/// The Dispatch sources of one stream, cancelled exactly once when the stream ends.
final class InstalledSignalSources: Sendable {
  private let state: Mutex<[any DispatchSourceSignal]?>
  private let signals: [Int32]

  init(sources: sending [any DispatchSourceSignal], signals: [Int32]) {
    self.state = Mutex(sources)
    self.signals = signals
  }

  /// Cancels the sources and releases the signal dispositions; later calls do nothing.
  func remove() {
    let wasInstalled = state.withLock { sources in
      guard let installed = sources else { return false }
      for source in installed { source.cancel() }
      sources = nil
      return true
    }
    guard wasInstalled else { return }
    for signalNumber in signals { SignalDispositions.release(signalNumber) }
  }
}
