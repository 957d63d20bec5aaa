import Foundation
import Synchronization

/// RFC 9562 UUID version 7 strings (48-bit Unix milliseconds, then a 12-bit sequence, then random
/// bits), lowercased, strictly increasing within a process.
///
/// For the ids a service creates itself (charge suggestions, posted charges): as B-tree keys they
/// append at the right edge of the primary-key index instead of landing on a random page, so an
/// insert dirties one hot page instead of one cold page per index (docs/BENCHMARKS.md, write volume
/// per event). They are ordinary UUIDs to every reader.
public enum TimeOrderedUUID {
  private struct State {
    var lastMillis: UInt64 = 0
    var sequence: UInt16 = 0
  }

  private static let state = Mutex(State())
  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// A new id; `now` is the wall clock (ids stay increasing if it steps back).
  public static func make(now: Date = Date()) -> String {
    let millis = UInt64(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)))
    let (stamp, sequence) = state.withLock { s -> (UInt64, UInt16) in
      if millis > s.lastMillis {
        s.lastMillis = millis
        // A random start within the lower half leaves room to count up in the same millisecond.
        s.sequence = UInt16.random(in: 0..<0x800)
      } else if s.sequence < 0x0FFF {
        s.sequence += 1
      } else {
        s.lastMillis += 1
        s.sequence = 0
      }
      return (s.lastMillis, s.sequence)
    }
    var bytes = [UInt8](repeating: 0, count: 16)
    for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: stamp >> (8 * (5 - index))) }
    bytes[6] = 0x70 | UInt8(truncatingIfNeeded: sequence >> 8) & 0x0F
    bytes[7] = UInt8(truncatingIfNeeded: sequence)
    var random = SystemRandomNumberGenerator()
    let tail = random.next() as UInt64
    for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: tail >> (8 * (15 - index))) }
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    var text: [UInt8] = []
    text.reserveCapacity(36)
    for (index, byte) in bytes.enumerated() {
      if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
      text.append(hexDigits[Int(byte >> 4)])
      text.append(hexDigits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
