import ArgumentParser

/// `fleet streams`: the JetStream topology of the streams/ folder.
public struct StreamsCommand: AsyncParsableCommand {
  /// Name, help and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "streams", abstract: "Manage the stream topology (the streams/ folder).",
    subcommands: [StreamsApplyCommand.self])

  /// Creates the command group.
  public init() {}
}
