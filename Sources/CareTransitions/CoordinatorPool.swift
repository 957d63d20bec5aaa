/// Where the candidates of an assignment came from.
public enum CoordinatorPool: String, Sendable, Equatable {
  /// Coordinators whose `service_types` contain the referral's service type.
  case serviceType = "service_type"
  /// The organization's `default_coordinator_ids`.
  case defaults = "default"
  /// No candidate at all (organization not configured, or no coordinator covers the service type
  /// and there is no default).
  case none
}
