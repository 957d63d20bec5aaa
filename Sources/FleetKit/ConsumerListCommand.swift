import ArgumentParser
import StreamTopology

/// `fleet consumer ls STREAM`: the consumers of a stream with their backlog.
public struct ConsumerListCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "ls", abstract: "List the consumers of a stream.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// The stream name.
  @Argument(help: "Stream name.")
  public var stream: String

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Prints one row per consumer, sorted by name; an unknown stream is an error.
  public func run() async throws {
    let console = FleetConsole.current
    let stream = self.stream
    let infos = try await FleetJetStream.withAdministration(connection) { jetStream in
      guard try await jetStream.streamInfoJSON(named: stream) != nil else {
        throw FleetError(.notFound, "stream \(stream) not found")
      }
      return try await jetStream.consumerInfosJSON(stream: stream)
    }
    if infos.isEmpty {
      console.print("No consumers on stream \(stream)")
      return
    }
    let rows = infos.map(Self.row).sorted { $0[0] < $1[0] }
    let header = ["NAME", "PENDING", "ACK PENDING", "REDELIVERED", "WAITING", "LAST DELIVERED"]
    for line in TextTable.render(header: header, rows: rows) { console.print(line) }
  }

  /// Name, pending, ack pending, redelivered, waiting pulls and last delivered stream sequence.
  static func row(_ info: JSONValue) -> [String] {
    func number(_ value: JSONValue?) -> String { String(value?.int64Value ?? 0) }
    return [
      info["name"]?.stringValue ?? "?", number(info["num_pending"]), number(info["num_ack_pending"]),
      number(info["num_redelivered"]), number(info["num_waiting"]), number(info["delivered"]?["stream_seq"]),
    ]
  }
}
