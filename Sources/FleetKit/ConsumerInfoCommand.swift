import ArgumentParser

/// `fleet consumer info STREAM NAME [--json]`: a consumer's configuration and state.
public struct ConsumerInfoCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show a consumer's configuration and state.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// The stream name.
  @Argument(help: "Stream name.")
  public var stream: String

  /// The consumer name.
  @Argument(help: "Consumer name.")
  public var name: String

  /// `--json`: the server's info reply as JSON.
  @Flag(help: "Print the raw consumer info JSON.")
  public var json = false

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Prints the info; an unknown consumer (or stream) is an error.
  public func run() async throws {
    let console = FleetConsole.current
    let (stream, name) = (self.stream, self.name)
    let info = try await FleetJetStream.withAdministration(connection) {
      try await $0.consumerInfoJSON(stream: stream, name: name)
    }
    guard var info else { throw FleetError(.notFound, "consumer \(stream)/\(name) not found") }
    if json {
      info["type"] = nil
      console.print(info.serializedString(prettyPrinted: true))
      return
    }
    console.print("Consumer \(stream)/\(name)")
    if let created = info["created"]?.stringValue { console.print("Created: \(created)") }
    console.print("Configuration:")
    for line in JSONDisplay.lines(info["config"]) { console.print(line) }
    console.print("State:")
    var state = info
    for key in ["config", "created", "name", "stream_name", "type", "ts", "cluster"] { state[key] = nil }
    for line in JSONDisplay.lines(state) { console.print(line) }
  }
}
