import ArgumentParser
import DomainEvents

/// `fleet events show KIND [--schema]`: one contract, and its JSON Schema on request.
public struct EventsShowCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one event contract (and its JSON Schema).")

  /// Event name, subject, CloudEvents type or Swift case name.
  @Argument(help: "Event name, subject or CloudEvents type (see `fleet events ls`).")
  public var kind: String

  /// `--schema`: also print the JSON Schema.
  @Flag(help: "Also print the JSON Schema of the CloudEvents data.")
  public var schema = false

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Prints the contract; unknown kinds are an error.
  public func run() async throws {
    let console = FleetConsole.current
    guard let kind = EventContractInfo.kind(named: kind) else {
      throw FleetError(.unknownEventKind, "unknown event kind '\(self.kind)' (see `fleet events ls`)")
    }
    let info = EventContractInfo(kind)
    console.print("Event: \(kind.rawValue)\(info.isDeprecated ? " (deprecated)" : "")")
    console.print("Subject: \(info.subject)")
    console.print("CloudEvents type: \(info.cloudEventType)")
    console.print("CloudEvents source: \(info.cloudEventSource)")
    console.print("Publisher: \(kind.publisher)")
    if !kind.defaultSubscribers.isEmpty {
      console.print("Subscribers: \(kind.defaultSubscribers.joined(separator: ", "))")
    }
    console.print("Dedupe key: \(info.dedupeKey)")
    console.print("Required fields: \(EventCatalog.requiredFields(for: kind).joined(separator: ", "))")
    console.print("")
    console.print(EventContractInfo.reference(for: kind))
    if schema {
      console.print("")
      console.writeOutput(EventCatalog.jsonSchema(for: kind))
    }
  }
}
