import ArgumentParser
import Foundation
import NATS
import NATSWire

/// `fleet server info`: every field of the server's INFO.
public struct ServerInfoCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Show the server's INFO fields.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// `--json`: the INFO as JSON.
  @Flag(help: "Print the INFO as JSON.")
  public var json = false

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Prints the INFO fields (absent ones are left out).
  public func run() async throws {
    let console = FleetConsole.current
    let info = try await FleetConnection.withClient(connection) { client in client.serverInfo }
    guard let info else { throw FleetError(.failed, "the server sent no INFO") }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      var copy = info
      copy.nonce = nil
      let data = (try? encoder.encode(copy)) ?? Data("{}".utf8)
      console.print(String(decoding: data, as: UTF8.self))
      return
    }
    for (label, value) in Self.rows(info) {
      console.print(label.padding(toLength: 18, withPad: " ", startingAt: 0) + value)
    }
  }

  /// The label/value rows of an INFO, in protocol order, skipping absent fields (never the nonce).
  static func rows(_ info: NATSServerInfo) -> [(String, String)] {
    func text<T>(_ value: T?) -> String? { value.map { "\($0)" } }
    let candidates: [(String, String?)] = [
      ("Server ID:", info.serverId),
      ("Server name:", info.serverName),
      ("Version:", info.version),
      ("Go:", info.goVersion),
      ("Protocol:", text(info.proto)),
      ("Host:", info.host),
      ("Port:", text(info.port)),
      ("Headers:", text(info.headers)),
      ("Max payload:", text(info.maxPayload)),
      ("Auth required:", text(info.authRequired)),
      ("TLS required:", text(info.tlsRequired)),
      ("TLS available:", text(info.tlsAvailable)),
      ("TLS verify:", text(info.tlsVerify)),
      ("JetStream:", text(info.jetstream)),
      ("Domain:", info.domain),
      ("Cluster:", info.cluster),
      ("Connect URLs:", info.connectURLs.map { $0.joined(separator: ", ") }),
      ("Lame duck mode:", text(info.lameDuckMode)),
      ("Client ID:", text(info.clientId)),
      ("Client IP:", info.clientIP),
    ]
    return candidates.compactMap { label, value in value.map { (label, $0) } }
  }
}
