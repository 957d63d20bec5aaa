import JetStream
import NATS

/// Opens the JetStream management API for one command.
enum FleetJetStream {
  /// Connects (see ``FleetConnection``), runs `body` with the JetStream API and closes.
  static func withAdministration<Result>(
    _ options: ConnectionOptions, _ body: (any JetStreamAdministration) async throws -> Result
  ) async throws -> Result {
    let timeout = options.timeoutDuration
    return try await FleetConnection.withClient(options) { client in
      try await body(administration(client: client, timeout: timeout))
    }
  }

  /// The JetStream API on `client`.
  static func administration(client: NATSClient, timeout: Duration) -> any JetStreamAdministration {
    JetStreamContext(client: client, timeout: timeout, logger: FleetConnection.quietLogger)
  }
}
