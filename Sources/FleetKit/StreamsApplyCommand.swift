import ArgumentParser
import StreamTopology

/// `fleet streams apply [--dir streams] [--dry-run] [--replicas N]`: creates or updates every
/// stream and consumer of the folder and prints one line per object plus a summary.
public struct StreamsApplyCommand: AsyncParsableCommand {
  /// Name and help.
  public static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Create or update the streams and consumers of a topology folder, printing a diff.")

  /// Connection flags.
  @OptionGroup public var connection: ConnectionOptions

  /// `--dir`: the folder holding `streams/` and `consumers/`.
  @Option(help: "Topology folder (holds streams/ and consumers/).")
  public var dir = "streams"

  /// `--dry-run`: print the plan only.
  @Flag(help: "Print the plan without changing anything.")
  public var dryRun = false

  /// `--replicas N`: `num_replicas` of every stream and consumer.
  @Option(help: "num_replicas for every stream and consumer (1 for one server, 3 for a cluster).")
  public var replicas = 1

  /// Creates the command with defaults (ArgumentParser fills it in).
  public init() {}

  /// Checks the replica count.
  public func validate() throws {
    guard (1...5).contains(replicas) else { throw ValidationError("--replicas must be between 1 and 5") }
  }

  /// Loads, validates and applies the topology.
  public func run() async throws {
    let console = FleetConsole.current
    let topology: Topology
    do {
      topology = try Topology.load(directory: dir).withReplicas(replicas)
    } catch {
      throw FleetError(.invalidTopology, "cannot load the topology: \(error)", cause: error)
    }
    let problems = topology.validate()
    guard problems.isEmpty else {
      for problem in problems { console.printError("  \(problem)") }
      throw FleetError(.invalidTopology, "\(dir): the topology has \(problems.count) problem(s)")
    }
    let dryRun = self.dryRun
    if dryRun { console.print("Dry run: nothing will be changed.") }
    let changes = try await FleetJetStream.withAdministration(connection) { jetStream in
      do throws(StreamsApplyError) {
        return try await StreamsApplier(administration: jetStream).apply(topology, dryRun: dryRun) { change in
          console.print(change.description)
        }
      } catch {
        switch error.code {
        case .invalidTopology:
          for problem in error.problems { console.printError("  \(problem)") }
          throw FleetError(.invalidTopology, "\(dir): \(error.message)", cause: error)
        case .serverRejected:
          throw FleetError(.jetStream, error.message, cause: error)
        }
      }
    }
    console.print(dryRun ? "Dry run, would have: " + changes.summary : changes.summary)
  }
}
