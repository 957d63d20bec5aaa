import ArgumentParser
import NATS

/// `fleet request SUBJECT DATA`: sends a request and prints the reply.
public struct RequestCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "request", abstract: "Send a request and print the reply (deadline: --timeout).")

  /// Connection flags (`--timeout` is the reply deadline).
  @OptionGroup public var connection: ConnectionOptions

  /// The request subject.
  @Argument(help: "Subject to send the request to.")
  public var subject: String

  /// The request payload.
  @Argument(help: "Request payload.")
  public var data: String

  /// `--header K:V`, repeatable.
  @Option(name: [.customShort("H"), .long], help: "Header NAME:VALUE (repeatable).")
  public var header: [String] = []

  /// `--raw`: print only the reply payload.
  @Flag(help: "Print only the reply payload.")
  public var raw = false

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Sends the request; prints the reply's headers and payload. No responders or no reply in
  /// time is an error (exit code 1).
  public func run() async throws {
    let console = FleetConsole.current
    let headers = try HeaderArguments.parse(header)
    let (subject, payload, timeout) = (self.subject, Array(data.utf8), connection.timeoutDuration)
    let format = MessageFormat(showHeaders: true, raw: raw)
    let reply = try await FleetConnection.withClient(connection) { client in
      do {
        return try await client.request(subject, payload: payload, headers: headers, timeout: timeout)
      } catch let error as NATSError where error.code == .noResponders {
        throw FleetError(.noResponders, "no responders on '\(subject)'", cause: error)
      } catch let error as NATSError where error.code == .timeout {
        throw FleetError(.timeout, "no reply on '\(subject)' within \(timeout)", cause: error)
      }
    }
    console.writeOutput(format.render(reply, number: nil))
  }
}
