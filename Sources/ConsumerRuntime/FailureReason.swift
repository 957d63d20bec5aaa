import CloudEvents
import DomainEvents
import GRDB

/// Turns errors into text that is safe to store, log and publish: errors from this project's
/// decoders and handlers carry no payload values by contract; database errors keep their code and
/// SQLite message but not the statement; anything else is reduced to its type name, because its
/// description could echo payload values (PHI).
enum FailureReason {
  /// Safe, single-line, bounded text for an error.
  static func describe(_ error: any Error) -> String {
    let text: String
    switch error {
    case let error as HandlerError:
      switch error {
      case .transient(let message), .permanent(let message): text = message
      }
    case let error as DomainEventError:
      text = error.description
    case let error as CloudEventDecodingError:
      text = error.description
    case let error as CloudEventValidationError:
      text = error.description
    case let error as DatabaseError:
      text = "database error \(error.resultCode.rawValue): \(error.message ?? "no message")"
    case is CancellationError:
      text = "cancelled"
    default:
      text = "unexpected \(String(describing: type(of: error)))"
    }
    return HeaderText.value(text.isEmpty ? "unspecified error" : text)
  }
}
