import ArgumentParser
import NATS

/// `fleet pub SUBJECT [DATA]`: publishes a core NATS message (N times), flushes, and reports.
public struct PublishCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "pub", abstract: "Publish a message (DATA, or standard input when piped).")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// The subject to publish to.
  @Argument(help: "Subject to publish to.")
  public var subject: String

  /// The payload; read from standard input when omitted and input is not a terminal.
  @Argument(help: "Payload; read from standard input when omitted.")
  public var data: String?

  /// `--header K:V`, repeatable.
  @Option(name: [.customShort("H"), .long], help: "Header NAME:VALUE (repeatable).")
  public var header: [String] = []

  /// `--count N` copies of the message.
  @Option(help: "Number of messages to publish.")
  public var count = 1

  /// `--reply SUBJ` reply subject.
  @Option(help: "Reply subject to send with the message.")
  public var reply: String?

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Checks the count.
  public func validate() throws {
    guard count >= 1 else { throw ValidationError("--count must be at least 1") }
  }

  /// Publishes, flushes, and prints `Published N message(s) to SUBJECT`.
  public func run() async throws {
    let console = FleetConsole.current
    let headers = try HeaderArguments.parse(header)
    let payload: [UInt8] = data.map { Array($0.utf8) } ?? console.readInput() ?? []
    let count = self.count
    let subject = self.subject
    let reply = self.reply
    let timeout = connection.timeoutDuration
    try await FleetConnection.withClient(connection) { client in
      for _ in 0..<count {
        try await client.publish(subject, payload: payload, headers: headers, replyTo: reply)
      }
      try await client.flush(timeout: timeout)
    }
    console.print("Published \(count) message(s) to \(subject)")
  }
}
