import ArgumentParser
import StreamTopology

/// `fleet stream ls`: every stream with subjects, messages, bytes and retention.
public struct StreamListCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "ls", abstract: "List the streams.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Prints one row per stream, sorted by name.
  public func run() async throws {
    let console = FleetConsole.current
    let infos = try await FleetJetStream.withAdministration(connection) { try await $0.streamInfosJSON() }
    if infos.isEmpty {
      console.print("No streams defined")
      return
    }
    let rows = infos.map(Self.row).sorted { $0[0] < $1[0] }
    for line in TextTable.render(header: ["NAME", "SUBJECTS", "MESSAGES", "BYTES", "RETENTION"], rows: rows) {
      console.print(line)
    }
  }

  /// Name, subjects (followed by `<- UPSTREAM,…` for a stream with sources), messages, bytes,
  /// retention.
  static func row(_ info: JSONValue) -> [String] {
    let config = info["config"]
    let subjects = (config?["subjects"]?.arrayValue ?? []).compactMap(\.stringValue)
    let sources = (config?["sources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    var parts = subjects.isEmpty ? [] : [subjects.joined(separator: ",")]
    if !sources.isEmpty { parts.append("<- " + sources.joined(separator: ",")) }
    return [
      config?["name"]?.stringValue ?? "?", parts.isEmpty ? "-" : parts.joined(separator: " "),
      String(info["state"]?["messages"]?.int64Value ?? 0), String(info["state"]?["bytes"]?.int64Value ?? 0),
      config?["retention"]?.stringValue ?? "limits",
    ]
  }
}
