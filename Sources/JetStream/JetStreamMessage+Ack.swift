import NATS
import NATSWire

extension JetStreamMessage {
  /// Acknowledges the message (`+ACK`).
  public func ack() async throws { try await send(.ack) }

  /// Negatively acknowledges: redeliver now (`-NAK`) or after `delay` (`-NAK {"delay": ns}`).
  public func nak(delay: Duration? = nil) async throws { try await send(.nak(delay: delay)) }

  /// Work in progress (`+WPI`): resets the ack wait. May be sent repeatedly before a terminal ack.
  public func inProgress() async throws { try await send(.inProgress) }

  /// Terminates: never redeliver (`+TERM`, optionally `+TERM <reason>`).
  public func term(reason: String? = nil) async throws { try await send(.term(reason: reason)) }

  /// Acknowledges and waits for the server's confirmation (a request to the reply subject).
  public func ackSync(timeout: Duration = .seconds(5)) async throws {
    let (client, reply) = try target()
    guard ackState.claim() else {
      throw JetStreamError(.alreadyAcknowledged, "message \(sequenceText) was already acknowledged")
    }
    let confirmation: NATSMessage
    do {
      confirmation = try await client.request(reply, payload: AckKind.ack.body, timeout: timeout)
    } catch let error as NATSError where error.code == .timeout {
      ackState.release()
      throw JetStreamError(
        .timeout, "no ack confirmation for message \(sequenceText) within \(timeout)", cause: error)
    } catch let error as NATSError where error.code == .noResponders {
      ackState.release()
      throw JetStreamError(
        .noResponders, "no consumer confirmed the ack of message \(sequenceText)", cause: error)
    } catch {
      ackState.release()
      throw error
    }
    // Servers answer with an empty body; newer ones may answer with a JSON error.
    let body = confirmation.payloadBytes
    if body.first == UInt8(ascii: "{") {
      try JetStreamJSON.checkError(body, context: "ack")
    }
  }

  func send(_ kind: AckKind) async throws {
    let (client, reply) = try target()
    if kind.isTerminal {
      guard ackState.claim() else {
        throw JetStreamError(.alreadyAcknowledged, "message \(sequenceText) was already acknowledged")
      }
    } else if ackState.isTerminal {
      throw JetStreamError(.alreadyAcknowledged, "message \(sequenceText) was already acknowledged")
    }
    do {
      // Queued without suspending when there is room. The subject check is one pass over the
      // bytes, cheaper than parsing the metadata, which an ack does not need.
      let body = kind.body
      if try client.tryPublish(reply, payload: body) { return }
      try await client.publish(reply, payload: body)
    } catch {
      if kind.isTerminal { ackState.release() }
      throw error
    }
  }

  private func target() throws -> (NATSClient, String) {
    guard let client, let reply = replyTo, reply.hasPrefix("$JS.ACK.") else {
      throw JetStreamError(.notAJetStreamMessage, "message on '\(subject)' has no JetStream ack subject")
    }
    return (client, reply)
  }

  /// "stream/seq" for error texts (ids only).
  var sequenceText: String {
    guard let metadata else { return "on '\(subject)'" }
    return "\(metadata.stream)#\(metadata.streamSequence)"
  }
}
