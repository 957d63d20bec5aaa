import ConsumerRuntime

/// Why a lead-reconciliation configuration file was rejected (the services' shared
/// `ServiceConfigurationError`).
public typealias LeadReconciliationConfigurationError = ServiceConfigurationError
