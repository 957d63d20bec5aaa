import ArgumentParser

/// `fleet server`: the connected server's identity and round-trip time.
public struct ServerCommand: AsyncParsableCommand {
  /// Name, help and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "server", abstract: "Inspect the NATS server.",
    subcommands: [ServerPingCommand.self, ServerInfoCommand.self])

  /// Creates the command group.
  public init() {}
}
