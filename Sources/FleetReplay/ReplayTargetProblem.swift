/// Why no target subject could be chosen for an event.
enum ReplayTargetProblem: Error, Sendable, Hashable, CustomStringConvertible {
  case noOriginalSubject
  case noFailingService

  var description: String {
    switch self {
    case .noOriginalSubject: return "the original subject is unknown (type without a seed contract); use --to"
    case .noFailingService:
      return "the dead letter names no valid service (Fleet-DLQ-Service); use --to or --to-service"
    }
  }
}
