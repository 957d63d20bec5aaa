import ArgumentParser

/// `fleet events ls`: every contract with subject, CloudEvents type and source, dedupe key rule
/// and deprecated flag.
public struct EventsListCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "ls", abstract: "List every event contract.")

  /// Creates the command.
  public init() {}

  /// Prints one row per contract.
  public func run() async throws {
    let console = FleetConsole.current
    let rows = EventContractInfo.all.map { info in
      [
        info.subject, info.cloudEventType, info.cloudEventSource, info.dedupeKey,
        info.isDeprecated ? "deprecated" : "",
      ]
    }
    for line in TextTable.render(header: ["SUBJECT", "TYPE", "SOURCE", "DEDUPE KEY", "STATUS"], rows: rows) {
      console.print(line)
    }
  }
}
