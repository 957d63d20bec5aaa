import Logging
import NATS

/// Opens the NATS connection of one command and closes it when the command is done.
enum FleetConnection {
  /// Connects with `options` (flags, environment, defaults), runs `body` and closes the client,
  /// also when `body` throws. Connection failures become a ``FleetError`` naming the servers.
  static func withClient<Result>(
    _ options: ConnectionOptions, _ body: (NATSClient) async throws -> Result
  ) async throws -> Result {
    let clientOptions = try options.makeClientOptions()
    let client: NATSClient
    do {
      client = try await NATSClient.connect(clientOptions, logger: quietLogger)
    } catch {
      let detail = FleetErrorText.oneLine(error)
      let servers = clientOptions.servers.joined(separator: ",")
      let message =
        detail.hasPrefix("cannot connect")
        ? "\(detail) (is nats-server running there? see --server or NATS_URL)"
        : "cannot connect to \(servers): \(detail)"
      throw FleetError(.connectionFailed, message, cause: error)
    }
    do {
      let result = try await body(client)
      await client.close()
      return result
    } catch {
      await client.close()
      throw FleetError.from(error)
    }
  }

  /// A logger that keeps the client's reconnect chatter off the terminal (errors only).
  static var quietLogger: Logger {
    var logger = Logger(label: "fleet.nats")
    logger.logLevel = .error
    return logger
  }
}
