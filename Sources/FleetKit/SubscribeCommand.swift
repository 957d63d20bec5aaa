import ArgumentParser
import NATS

/// `fleet sub SUBJECT`: prints every message on a subject until `--count` messages arrived,
/// `--wait` seconds passed, or Ctrl-C.
public struct SubscribeCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "sub", abstract: "Subscribe to a subject and print the messages (Ctrl-C stops).")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// The subject (wildcards allowed).
  @Argument(help: "Subject to subscribe to (wildcards allowed).")
  public var subject: String

  /// `--queue Q` queue group.
  @Option(help: "Queue group to join.")
  public var queue: String?

  /// `--count N`: exit after N messages.
  @Option(help: "Exit after this many messages.")
  public var count: Int?

  /// `--wait SECONDS`: exit after this long even without `--count` messages.
  @Option(help: "Exit after this many seconds.")
  public var wait: Double?

  /// `--headers`: print message headers too.
  @Flag(help: "Print message headers.")
  public var headers = false

  /// `--raw`: print payloads only, one per line.
  @Flag(help: "Print only the payloads, one per line.")
  public var raw = false

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Checks count and wait.
  public func validate() throws {
    if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    if let wait, !(wait > 0 && wait.isFinite) { throw ValidationError("--wait must be a positive number") }
  }

  /// Subscribes, prints messages, and returns when done.
  public func run() async throws {
    let console = FleetConsole.current
    let format = MessageFormat(showHeaders: headers, raw: raw)
    let (subject, queue, count, wait) = (self.subject, self.queue, self.count, self.wait)
    let timeout = connection.timeoutDuration
    let received = try await FleetConnection.withClient(connection) { client in
      let subscription = try client.subscribe(subject, queue: queue)
      if let count { try subscription.unsubscribe(after: count) }
      try await client.flush(timeout: timeout)
      if !format.raw {
        console.printError("Subscribed to \(subject)" + (queue.map { " in queue group \($0)" } ?? ""))
      }
      let interrupt = console.onInterrupt { try? subscription.unsubscribe() }
      defer { interrupt.cancel() }
      return try await withThrowingTaskGroup(of: Void.self) { group in
        if let wait {
          group.addTask {
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            try? subscription.unsubscribe()
          }
        }
        defer { group.cancelAll() }
        return try await Self.printMessages(subscription, count: count, format: format, console: console)
      }
    }
    if !format.raw { console.printError("\(received) message(s) received") }
  }

  /// Prints messages until the subscription ends or `count` arrived; returns how many arrived.
  /// A slow-consumer report is printed as a warning and printing continues.
  static func printMessages(
    _ subscription: NATSSubscription, count: Int?, format: MessageFormat, console: FleetConsole
  ) async throws -> Int {
    var received = 0
    var iterator = subscription.makeAsyncIterator()
    while count.map({ received < $0 }) ?? true {
      let message: NATSMessage?
      do {
        message = try await iterator.next()
      } catch let error as NATSError where error.code == .slowConsumer {
        console.printError("fleet: warning: \(error.message)")
        iterator = subscription.makeAsyncIterator()
        continue
      }
      guard let message else { break }
      received += 1
      console.writeOutput(format.render(message, number: received))
    }
    return received
  }
}
