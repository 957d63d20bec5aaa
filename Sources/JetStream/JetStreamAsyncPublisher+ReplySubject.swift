/// The reply subject of each message, `<prefix><base-36 id>`: the one wildcard inbox
/// subscription (`<prefix>*`) receives every PubAck, and the id routes it to its message.
extension JetStreamAsyncPublisher {
  /// The reply subject of message `id`, built in one allocation.
  static func replySubject(_ prefix: String, _ id: UInt64) -> String {
    var digits = 1
    var scan = id
    while scan >= 36 {
      scan /= 36
      digits += 1
    }
    var prefix = prefix
    return prefix.withUTF8 { prefixBytes in
      let length = prefixBytes.count + digits
      return String(unsafeUninitializedCapacity: length) { target in
        UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(prefixBytes))
        var rest = id
        var index = length
        repeat {
          index -= 1
          let digit = UInt8(truncatingIfNeeded: rest % 36)
          target[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
          rest /= 36
        } while rest > 0
        return length
      }
    }
  }

  /// The id in a reply subject `<prefix><base-36 id>`, read from the UTF-8 bytes (no String
  /// indexing); nil for anything else.
  static func replyID(_ subject: String, prefix: String) -> UInt64? {
    var subject = subject
    var prefix = prefix
    return subject.withUTF8 { bytes in
      prefix.withUTF8 { prefixBytes -> UInt64? in
        let prefixCount = prefixBytes.count
        guard bytes.count > prefixCount else { return nil }
        for index in 0..<prefixCount where bytes[index] != prefixBytes[index] { return nil }
        var value: UInt64 = 0
        for byte in UnsafeBufferPointer(rebasing: bytes[prefixCount...]) {
          let digit: UInt64
          switch byte {
          case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
          case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
          case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
          default: return nil
          }
          let (shifted, overflow1) = value.multipliedReportingOverflow(by: 36)
          let (sum, overflow2) = shifted.addingReportingOverflow(digit)
          if overflow1 || overflow2 { return nil }
          value = sum
        }
        return value
      }
    }
  }
}
