import ArgumentParser

/// `fleet events`: the event contracts of the seeds (DomainEvents' catalog).
public struct EventsCommand: AsyncParsableCommand {
  /// Name, help and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "events", abstract: "List and show the domain event contracts.",
    subcommands: [EventsListCommand.self, EventsShowCommand.self])

  /// Creates the command group.
  public init() {}
}
