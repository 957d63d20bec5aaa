/// Whether a service is ready to take work, as reported on `GET /readyz`.
public enum Readiness: Sendable, Equatable {
  /// Every dependency is up; `/readyz` answers 200.
  case ready
  /// Not ready; `/readyz` answers 503 with these reasons as a JSON list of strings.
  case notReady([String])
}
