import ArgumentParser
import NATS

/// `fleet server ping [--count N]`: connects, prints who answered, and N round-trip samples.
public struct ServerPingCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "ping", abstract: "Connect, show the server and measure round-trip times.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// `--count N` rtt samples.
  @Option(help: "Number of round trips to measure.")
  public var count = 3

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Checks the count.
  public func validate() throws {
    guard count >= 1 else { throw ValidationError("--count must be at least 1") }
  }

  /// Prints server id, name, version, JetStream, each rtt and min/avg/max.
  public func run() async throws {
    let console = FleetConsole.current
    let (count, timeout) = (self.count, connection.timeoutDuration)
    let (info, server, samples) = try await FleetConnection.withClient(connection) { client in
      var samples: [Duration] = []
      for _ in 0..<count { samples.append(try await client.flush(timeout: timeout)) }
      return (client.serverInfo, client.connectedServer, samples)
    }
    console.print("Connected to \(server ?? "?")")
    console.print("Server ID: \(info?.serverId ?? "?")")
    console.print("Server name: \(info?.serverName ?? "?")")
    console.print("Version: \(info?.version ?? "?")")
    console.print("JetStream: \(info?.supportsJetStream == true ? "enabled" : "disabled")")
    for (index, sample) in samples.enumerated() {
      console.print("rtt #\(index + 1): \(Self.milliseconds(sample)) ms")
    }
    let values = samples.map(Self.millisecondValue)
    let minimum = values.min() ?? 0
    let maximum = values.max() ?? 0
    let average = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    console.print(
      "rtt min/avg/max: \(Self.format(minimum))/\(Self.format(average))/\(Self.format(maximum)) ms")
  }

  static func millisecondValue(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
  }

  static func milliseconds(_ duration: Duration) -> String { format(millisecondValue(duration)) }

  static func format(_ milliseconds: Double) -> String {
    let micros = (milliseconds * 1000).rounded()
    let whole = Int64(micros) / 1000
    let fraction = Int64(micros) % 1000
    let padded = String(fraction)
    return "\(whole)." + String(repeating: "0", count: 3 - padded.count) + padded
  }
}
