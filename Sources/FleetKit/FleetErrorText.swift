import JetStream
import NATS

/// One-line descriptions of errors for `fleet: error: …`.
enum FleetErrorText {
  /// The error's message without newlines: the `message` of typed errors, else its description.
  static func oneLine(_ error: any Error) -> String {
    let text: String
    switch error {
    case let error as FleetError: text = error.message
    case let error as NATSError: text = error.message
    case let error as JetStreamAPIError:
      text = error.errorCode == 0 ? error.description : "\(error.description) (err_code \(error.errorCode))"
    case let error as JetStreamError: text = error.message
    case let error as StreamsApplyError: text = error.message
    default: text = String(describing: error)
    }
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}
