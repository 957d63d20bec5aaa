import ArgumentParser

/// `fleet stream info NAME [--json]`: a stream's configuration and state.
public struct StreamInfoCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show a stream's configuration and state.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// The stream name.
  @Argument(help: "Stream name.")
  public var name: String

  /// `--json`: the server's info reply as JSON.
  @Flag(help: "Print the raw stream info JSON.")
  public var json = false

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Prints the info; an unknown stream is an error.
  public func run() async throws {
    let console = FleetConsole.current
    let name = self.name
    let info = try await FleetJetStream.withAdministration(connection) {
      try await $0.streamInfoJSON(named: name)
    }
    guard var info else { throw FleetError(.notFound, "stream \(name) not found") }
    if json {
      info["type"] = nil
      console.print(info.serializedString(prettyPrinted: true))
      return
    }
    console.print("Stream \(name)")
    if let created = info["created"]?.stringValue { console.print("Created: \(created)") }
    console.print("Configuration:")
    for line in JSONDisplay.lines(info["config"]) { console.print(line) }
    console.print("State:")
    for line in JSONDisplay.lines(info["state"]) { console.print(line) }
    if let cluster = info["cluster"], cluster.objectValue != nil {
      console.print("Cluster:")
      for line in JSONDisplay.lines(cluster) { console.print(line) }
    }
    for (key, label) in [("sources", "Sources"), ("mirror", "Mirror")] {
      guard let value = info[key], !value.isNull else { continue }
      console.print("\(label): \(value.serializedString())")
    }
  }
}
