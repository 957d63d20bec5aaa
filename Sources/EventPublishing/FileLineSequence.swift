import Dispatch
import Foundation

/// The lines of a file (or of standard input) as raw bytes, read in 64 KiB chunks.
///
/// Lines end at `\n`; a trailing `\r` is dropped; a last line without a newline is included. The
/// blocking reads run on a private dispatch queue, never on the cooperative thread pool. Bytes are
/// not decoded here, so a line that is not UTF-8 reaches the JSON decoder, which reports it.
public struct FileLineSequence: AsyncSequence, Sendable {
  /// One line, without its line terminator.
  public typealias Element = [UInt8]

  private let handle: FileHandle
  private let chunkSize: Int

  /// Reads from an open handle (e.g. `FileHandle.standardInput`); the handle is not closed.
  public init(handle: FileHandle, chunkSize: Int = 64 * 1024) {
    self.handle = handle
    self.chunkSize = Swift.max(chunkSize, 1)
  }

  /// Opens the file at `path` for reading.
  ///
  /// - Throws: `EventPublishingError` `.unreadableInput` when the file cannot be opened.
  public init(path: String, chunkSize: Int = 64 * 1024) throws(EventPublishingError) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw EventPublishingError(.unreadableInput, "cannot open \(path) for reading")
    }
    self.init(handle: handle, chunkSize: chunkSize)
  }

  /// Creates the iterator.
  public func makeAsyncIterator() -> Iterator {
    Iterator(handle: handle, chunkSize: chunkSize)
  }

  /// Yields the lines in order.
  public struct Iterator: AsyncIteratorProtocol {
    private let handle: FileHandle
    private let chunkSize: Int
    private let queue = DispatchQueue(label: "EventPublishing.FileLineSequence")
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var finished = false

    init(handle: FileHandle, chunkSize: Int) {
      self.handle = handle
      self.chunkSize = chunkSize
    }

    /// The next line, or `nil` at the end of the input.
    ///
    /// - Throws: `EventPublishingError` `.unreadableInput` when a read fails.
    public mutating func next() async throws -> [UInt8]? {
      while true {
        if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
          let line = Self.trimmed(buffer[start..<newline])
          start = newline + 1
          scanned = start
          return line
        }
        scanned = buffer.count
        if finished {
          guard start < buffer.count else { return nil }
          let line = Self.trimmed(buffer[start...])
          start = buffer.count
          scanned = start
          return line
        }
        if start > 0 {
          buffer.removeFirst(start)
          scanned -= start
          start = 0
        }
        let chunk = try await read()
        if chunk.isEmpty {
          finished = true
        } else {
          buffer.append(contentsOf: chunk)
        }
      }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
      if bytes.last == UInt8(ascii: "\r") { return Array(bytes.dropLast()) }
      return Array(bytes)
    }

    private func read() async throws -> Data {
      let handle = handle
      let size = chunkSize
      return try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Data, any Error>) in
        queue.async {
          do {
            continuation.resume(returning: try handle.read(upToCount: size) ?? Data())
          } catch {
            continuation.resume(
              throwing: EventPublishingError(.unreadableInput, "reading the input failed", cause: error))
          }
        }
      }
    }
  }
}
