/// A small, fully specified pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Every value the load generator draws comes from here, never from `SystemRandomNumberGenerator`
/// or the standard library's `random(in:using:)` helpers (whose algorithms may change between
/// toolchains), so the same seed produces the same bytes on every platform and Swift version.
public struct SeededRandom: Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// Creates a generator whose whole sequence is determined by `seed`.
  public init(seed: UInt64) {
    var mixer = SplitMix64(seed: seed)
    state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    // xoshiro must not start from all zeros; SplitMix64 never yields four zeros, but stay safe.
    if state == (0, 0, 0, 0) { state.0 = 0x9E37_79B9_7F4A_7C15 }
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let shifted = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= shifted
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject); 0 when `bound` ≤ 1.
  public mutating func int(below bound: Int) -> Int {
    guard bound > 1 else { return 0 }
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }

  /// A uniform integer in `range`.
  public mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
  }

  /// A uniform `Double` in `[0, 1)` with 53 random bits.
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// True with probability `probability` (clamped to 0…1).
  public mutating func chance(_ probability: Double) -> Bool {
    unit() < probability
  }

  /// A uniformly chosen element; `nil` for an empty array.
  public mutating func element<T>(of array: [T]) -> T? {
    array.isEmpty ? nil : array[int(below: array.count)]
  }

  /// An element chosen with the given relative weights (non-positive weights never win); the
  /// first element when no weight is positive. `nil` for an empty array.
  public mutating func weighted<T>(_ choices: [(T, Double)]) -> T? {
    let total = choices.reduce(0.0) { $0 + max($1.1, 0) }
    guard let first = choices.first else { return nil }
    guard total > 0 else { return first.0 }
    var target = unit() * total
    for (value, weight) in choices where weight > 0 {
      if target < weight { return value }
      target -= weight
    }
    return choices.last(where: { $0.1 > 0 })?.0 ?? first.0
  }

  /// A random (version 4, RFC 9562 variant) UUID in lowercase `8-4-4-4-12` form.
  public mutating func uuid() -> String {
    let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
    let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
    let hex = Self.hex(high, digits: 16) + Self.hex(low, digits: 16)
    let characters = Array(hex)
    return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16])
      + "-" + String(characters[16..<20]) + "-" + String(characters[20..<32])
  }

  /// `count` random decimal digits.
  public mutating func digits(_ count: Int) -> String {
    var text = ""
    for _ in 0..<max(count, 0) { text.append(Character(Unicode.Scalar(UInt8(48 + int(below: 10))))) }
    return text
  }

  /// `count` random uppercase ASCII letters.
  public mutating func letters(_ count: Int) -> String {
    var text = ""
    for _ in 0..<max(count, 0) { text.append(Character(Unicode.Scalar(UInt8(65 + int(below: 26))))) }
    return text
  }

  private static func hex(_ value: UInt64, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(digits - text.count, 0)) + text
  }

  private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }
}
