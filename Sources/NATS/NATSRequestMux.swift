import NIOConcurrencyHelpers
import NIOCore

/// Request/reply over one shared wildcard inbox subscription (`<inbox>.*`): each request gets a
/// token; the reply is routed to the promise registered for it. A promise is completed exactly
/// once: whoever removes it from the table (reply, timeout, cancellation, close) completes it.
final class NATSRequestMux: Sendable {
  let prefix: String
  private let state = NIOLockedValueBox(State())

  private struct State {
    var pending: [Substring: EventLoopPromise<NATSMessage>] = [:]
    var counter: UInt64 = 0
    var subscribed = false
  }

  init(prefix: String) { self.prefix = prefix }

  /// True exactly once (until `subscriptionFailed`): the caller must create the subscription.
  func needsSubscription() -> Bool {
    state.withLockedValue { s in
      if s.subscribed { return false }
      s.subscribed = true
      return true
    }
  }

  func subscriptionFailed() { state.withLockedValue { $0.subscribed = false } }

  func nextToken() -> (token: String, replyTo: String) {
    let n = state.withLockedValue { s -> UInt64 in
      s.counter += 1
      return s.counter
    }
    let token = String(n, radix: 36)
    return (token, prefix + token)
  }

  func register(token: String, promise: EventLoopPromise<NATSMessage>) {
    state.withLockedValue { $0.pending[Substring(token)] = promise }
  }

  func deliver(_ message: NATSMessage) {
    guard message.subject.hasPrefix(prefix) else { return }
    let token = message.subject.dropFirst(prefix.count)
    let promise = state.withLockedValue { $0.pending.removeValue(forKey: token) }
    promise?.succeed(message)
  }

  func fail(token: String, _ error: any Error) {
    let promise = state.withLockedValue { $0.pending.removeValue(forKey: Substring(token)) }
    promise?.fail(error)
  }

  func failAll(_ error: any Error) {
    let all = state.withLockedValue { s -> [EventLoopPromise<NATSMessage>] in
      defer {
        s.pending = [:]
        s.subscribed = false
      }
      return Array(s.pending.values)
    }
    for p in all { p.fail(error) }
  }
}

/// Unique ids for inboxes: 12 random base62 characters plus a base62 counter, like nats.go's NUID.
enum NATSNUID {
  private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
  private static let state = NIOLockedValueBox(
    (prefix: randomPrefix(), counter: UInt64.random(in: 0..<1_000_000)))

  private static func randomPrefix() -> [UInt8] {
    (0..<12).map { _ in alphabet[Int.random(in: 0..<62)] }
  }

  static func next() -> String {
    let (prefix, n) = state.withLockedValue { s -> ([UInt8], UInt64) in
      s.counter += 1
      if s.counter > 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 {
        s.prefix = randomPrefix()
        s.counter = 1
      }
      return (s.prefix, s.counter)
    }
    var bytes = prefix
    var value = n
    var suffix: [UInt8] = []
    repeat {
      suffix.append(alphabet[Int(value % 62)])
      value /= 62
    } while value > 0
    bytes.append(contentsOf: suffix.reversed())
    return String(decoding: bytes, as: UTF8.self)
  }
}
