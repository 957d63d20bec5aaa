import NIOConcurrencyHelpers

/// Unique ids for generated message ids: 12 random base62 characters plus a base62 counter.
enum JetStreamNUID {
  private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
  private static let state = NIOLockedValueBox((prefix: randomPrefix(), counter: UInt64(0)))

  private static func randomPrefix() -> [UInt8] {
    (0..<12).map { _ in alphabet[Int.random(in: 0..<62)] }
  }

  /// A new id, unique across processes with overwhelming probability.
  static func next() -> String {
    let (prefix, n) = state.withLockedValue { s -> ([UInt8], UInt64) in
      s.counter &+= 1
      if s.counter >= 1 << 60 {
        s.prefix = randomPrefix()
        s.counter = 1
      }
      return (s.prefix, s.counter)
    }
    var suffix: [UInt8] = []
    var value = n
    repeat {
      suffix.append(alphabet[Int(value % 62)])
      value /= 62
    } while value > 0
    return String(decoding: prefix + suffix.reversed(), as: UTF8.self)
  }
}
