import ArgumentParser

/// `fleet stream`: inspect JetStream streams.
public struct StreamCommand: AsyncParsableCommand {
  /// Name, help and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "stream", abstract: "Inspect JetStream streams.",
    subcommands: [StreamListCommand.self, StreamInfoCommand.self])

  /// Creates the command group.
  public init() {}
}
