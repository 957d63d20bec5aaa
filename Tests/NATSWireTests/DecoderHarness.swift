import NATSWire
import NIOCore

/// What feeding a byte sequence to a fresh decoder produced.
struct DecodeOutcome: Equatable {
  /// Frames decoded, in order.
  var ops: [NATSServerOp]
  /// The error that stopped decoding, if any.
  var error: NATSProtocolError?
  /// Bytes left in the buffer at the end (an incomplete frame).
  var leftover: Int
}

/// Feeds `chunks` to one decoder the way `ByteToMessageHandler` does: append, then decode until nil.
func decodeChunks(
  _ chunks: [[UInt8]], decoder: NATSProtocolDecoder = NATSProtocolDecoder()
) throws -> (ops: [NATSServerOp], leftover: Int) {
  var decoder = decoder
  var buffer = ByteBuffer()
  var ops: [NATSServerOp] = []
  for chunk in chunks {
    buffer.writeBytes(chunk)
    while let op = try decoder.decode(buffer: &buffer) {
      ops.append(op)
    }
  }
  return (ops, buffer.readableBytes)
}

/// Like ``decodeChunks(_:decoder:)`` but records a `NATSProtocolError` instead of throwing it;
/// any other error type is returned as `nil` so the caller can fail.
func outcome(
  _ chunks: [[UInt8]], decoder: NATSProtocolDecoder = NATSProtocolDecoder()
) -> DecodeOutcome? {
  var decoder = decoder
  var buffer = ByteBuffer()
  var ops: [NATSServerOp] = []
  do {
    for chunk in chunks {
      buffer.writeBytes(chunk)
      while let op = try decoder.decode(buffer: &buffer) {
        ops.append(op)
      }
    }
    return DecodeOutcome(ops: ops, error: nil, leftover: buffer.readableBytes)
  } catch let error as NATSProtocolError {
    return DecodeOutcome(ops: ops, error: error, leftover: -1)
  } catch {
    return nil
  }
}

/// Feeds `chunks` through NIO's own `NIOSingleStepByteToMessageProcessor`.
func processChunks(_ chunks: [[UInt8]], decoder: NATSProtocolDecoder = NATSProtocolDecoder()) throws
  -> [NATSServerOp]
{
  let processor = NIOSingleStepByteToMessageProcessor(decoder)
  var ops: [NATSServerOp] = []
  for chunk in chunks {
    try processor.process(buffer: ByteBuffer(bytes: chunk)) { ops.append($0) }
  }
  return ops
}

/// Builds an `HMSG` frame with the sizes computed from the parts.
func hmsgFrame(subject: String, sid: UInt64, reply: String? = nil, headerBlock: String, payload: String)
  -> String
{
  let headerLength = headerBlock.utf8.count
  let total = headerLength + payload.utf8.count
  let replyPart = reply.map { " \($0)" } ?? ""
  return "HMSG \(subject) \(sid)\(replyPart) \(headerLength) \(total)\r\n\(headerBlock)\(payload)\r\n"
}

/// Builds a `MSG` frame with the size computed from the payload.
func msgFrame(subject: String, sid: UInt64, reply: String? = nil, payload: String) -> String {
  let replyPart = reply.map { " \($0)" } ?? ""
  return "MSG \(subject) \(sid)\(replyPart) \(payload.utf8.count)\r\n\(payload)\r\n"
}

/// A small deterministic generator (SplitMix64) so fuzz runs are reproducible.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    self.state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
