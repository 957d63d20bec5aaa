import Foundation
import Logging
import ServiceOperations

/// The whole `main` of a consumer service executable: configuration from environment and flags
/// (a missing or invalid setting stops the service with a message saying which and why), logging
/// bootstrap, the handler built from CONFIG_FILE, then `ConsumerService.run()`.
public enum ConsumerServiceMain {
  /// Runs a service; exits the process with 0 after a graceful shutdown, 64 for configuration
  /// errors and 1 for start-up failures.
  public static func run(
    serviceName: String, makeHandler: @Sendable ([UInt8]?) throws -> any ServiceHandler
  ) async -> Never {
    let environment = ProcessInfo.processInfo.environment
    let configuration: ServiceConfiguration
    let bindings: [WorkStreamBinding]?
    let handler: any ServiceHandler
    do {
      configuration = try ServiceConfiguration.load(
        environment: environment, arguments: Array(CommandLine.arguments.dropFirst()),
        serviceName: serviceName)
      bindings = try environment["WORK_STREAMS"].map { try WorkStreamBinding.parse($0) }
      do {
        handler = try makeHandler(configuration.configData)
      } catch {
        throw ConfigurationError(setting: "CONFIG_FILE", reason: "\(error)")
      }
    } catch let error as ConfigurationError {
      if error.isHelpRequest {
        print(error.reason)
        exit(0)
      }
      FileHandle.standardError.write(Data("\(serviceName): configuration error: \(error)\n".utf8))
      exit(64)
    } catch {
      FileHandle.standardError.write(Data("\(serviceName): configuration error: \(error)\n".utf8))
      exit(64)
    }
    FleetLogHandler.bootstrap(
      format: configuration.logFormat, level: configuration.logLevel, service: serviceName)
    var logger = Logger(label: serviceName)
    logger[metadataKey: "service"] = "\(serviceName)"
    let maxPayload = environment["MAX_EVENT_BYTES"].flatMap(Int.init) ?? EventProcessor.defaultMaxPayloadBytes
    let service = ConsumerService(
      configuration: configuration, handler: handler, bindings: bindings, logger: logger,
      maxPayloadBytes: maxPayload, afterCommit: FaultInjection.afterCommit(environment, logger: logger))
    do {
      try await service.run()
      exit(0)
    } catch {
      logger.critical("\(serviceName) failed to start: \(error)")
      exit(1)
    }
  }
}

/// Fault injection for tests, off unless `FLEET_FAULT_KILL_AFTER_COMMIT` is set: the process
/// SIGKILLs itself right after the COMMIT of the event with that id (or of any event for `any`),
/// before the ACK — the crash window the ledger must make harmless.
enum FaultInjection {
  static func afterCommit(_ environment: [String: String], logger: Logger) -> (@Sendable (String) -> Void)? {
    guard let target = environment["FLEET_FAULT_KILL_AFTER_COMMIT"], !target.isEmpty else { return nil }
    logger.warning("fault injection armed: SIGKILL after the commit of \(target)")
    return { eventId in
      if target == "any" || target == eventId {
        kill(getpid(), SIGKILL)
      }
    }
  }
}
