import ConsumerRuntime

/// Why a care-transitions configuration file was rejected (the services' shared
/// `ServiceConfigurationError`).
public typealias CareTransitionsConfigurationError = ServiceConfigurationError
