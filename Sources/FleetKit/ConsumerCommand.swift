import ArgumentParser

/// `fleet consumer`: inspect JetStream consumers.
public struct ConsumerCommand: AsyncParsableCommand {
  /// Name, help and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "consumer", abstract: "Inspect JetStream consumers.",
    subcommands: [ConsumerListCommand.self, ConsumerInfoCommand.self])

  /// Creates the command group.
  public init() {}
}
