import ArgumentParser
import Foundation
import NATS

/// The `fleet` admin CLI: core NATS verbs (`pub`, `sub`, `request`, `server`), JetStream
/// inspection (`stream`, `consumer`), the topology (`streams apply`) and the event catalog
/// (`events`).
public struct FleetCommand: AsyncParsableCommand {
  /// The root command's name, abstract and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "fleet",
    abstract: "Admin CLI of the clinical event fleet (NATS, JetStream, streams, event contracts).",
    subcommands: [
      PublishCommand.self, SubscribeCommand.self, RequestCommand.self, ServerCommand.self,
      StreamCommand.self, ConsumerCommand.self, StreamsCommand.self, EventsCommand.self,
      PublishEventsCommand.self, ReplayCommand.self, LoadgenCommand.self, BenchCommand.self,
      FleetBenchmarkCommand.self, ProcessorBenchmarkCommand.self, SummaryCommand.self,
    ])

  /// Creates the root command.
  public init() {}

  /// Parses the process arguments and runs the chosen verb (see ``start(arguments:)``).
  public static func main() async {
    await start()
  }

  /// The entry point of the executable: parses `arguments` and runs the chosen verb, then exits.
  /// Parse errors and help print as ArgumentParser does; a failing verb prints
  /// `fleet: error: <message>` to standard error and exits with its code (1 unless the error says
  /// otherwise).
  public static func start(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
    let command: any ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      exit(withError: error)
    }
    let code = await execute(command, console: FleetConsole.current)
    Foundation.exit(code)
  }

  /// Runs a parsed command and turns its failure into `fleet: error: …` on the console; returns
  /// the exit code. Help and clean exits requested by the command go through ArgumentParser.
  public static func execute(_ command: any ParsableCommand, console: FleetConsole) async -> Int32 {
    do {
      var command = command
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      return 0
    } catch let error as ExitCode {
      return error.rawValue
    } catch let error as CleanExit {
      exit(withError: error)
    } catch let error as FleetError {
      console.printError("fleet: error: \(error.message)")
      return error.exitCode
    } catch let error as ValidationError {
      console.printError("fleet: error: \(error.message)")
      return ExitCode.validationFailure.rawValue
    } catch  where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
      // Help and usage requests (e.g. `fleet --help`, `fleet help stream`) surface as
      // ArgumentParser's own errors: let it print them as usual.
      exit(withError: error)
    } catch {
      console.printError("fleet: error: \(FleetErrorText.oneLine(error))")
      return 1
    }
  }
}
