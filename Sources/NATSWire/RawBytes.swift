/// Writers into raw buffer memory, for frames written in one `ByteBuffer` access.
enum RawBytes {
  /// Copies the `length` UTF-8 bytes of `text` to `pointer[index...]`; returns the index after them.
  @inline(__always)
  static func copyUTF8(
    _ text: String, length: Int, to pointer: UnsafeMutableRawBufferPointer, at index: Int
  ) -> Int {
    let copied: Void? = text.utf8.withContiguousStorageIfAvailable { source in
      if length > 0 {
        UnsafeMutableRawBufferPointer(rebasing: pointer[index..<(index + length)])
          .copyMemory(from: UnsafeRawBufferPointer(source))
      }
    }
    if copied == nil {
      var position = index
      for byte in text.utf8 {
        pointer[position] = byte
        position += 1
      }
    }
    return index + length
  }

  /// Writes `value` as `count` decimal digits at `pointer[index...]`; returns the index after them.
  @inline(__always)
  static func writeDigits(
    _ value: UInt64, count: Int, to pointer: UnsafeMutableRawBufferPointer, at index: Int
  ) -> Int {
    var rest = value
    var position = index + count - 1
    while position >= index {
      pointer[position] = ASCII.zero &+ UInt8(truncatingIfNeeded: rest % 10)
      rest /= 10
      position -= 1
    }
    return index + count
  }

  /// Copies the `length` bytes of a static string to `pointer[index...]`; returns the index after them.
  @inline(__always)
  static func copy(_ text: StaticString, to pointer: UnsafeMutableRawBufferPointer, at index: Int) -> Int {
    let length = text.utf8CodeUnitCount
    UnsafeMutableRawBufferPointer(rebasing: pointer[index..<(index + length)])
      .copyMemory(from: UnsafeRawBufferPointer(start: text.utf8Start, count: length))
    return index + length
  }

  /// Copies a frame's payload to `pointer[index...]` and ends the frame with `\r\n`; returns the
  /// index after them.
  @inline(__always)
  static func copyPayloadAndCRLF(
    _ payload: UnsafeRawBufferPointer, to pointer: UnsafeMutableRawBufferPointer, at index: Int
  ) -> Int {
    var end = index
    if !payload.isEmpty {
      UnsafeMutableRawBufferPointer(rebasing: pointer[index..<(index + payload.count)]).copyMemory(
        from: payload)
      end += payload.count
    }
    pointer[end] = ASCII.cr
    pointer[end + 1] = ASCII.lf
    return end + 2
  }

  /// Copies the `length` UTF-8 bytes of `text` to `pointer[index...]`, replacing every byte for
  /// which `replacement` returns a value (byte for byte); returns the index after them.
  @inline(__always)
  static func copyUTF8Replacing(
    _ text: String, length: Int, to pointer: UnsafeMutableRawBufferPointer, at index: Int,
    _ replacement: (UInt8) -> UInt8?
  ) -> Int {
    let end = copyUTF8(text, length: length, to: pointer, at: index)
    var position = index
    while position < end {
      if let replaced = replacement(pointer[position]) { pointer[position] = replaced }
      position += 1
    }
    return end
  }
}
