import Foundation

/// A cluster of `size` servers (routes on free loopback ports, JetStream optional, cluster name), for connect_urls discovery.
///
/// `start` returns once every server's INFO lists every other server in `connect_urls` (routes are up)
/// and, with JetStream, once a metadata leader is elected. Each server keeps its config, so
/// ``NATSServerProcess/restart()`` of one member rejoins the cluster on the same ports.
public final class NATSServerCluster: Sendable {
  /// The members, in start order (named `n1`, `n2`, …).
  public let servers: [NATSServerProcess]
  /// The cluster name every member shares.
  public let clusterName: String
  /// The route (cluster) port of each member, in the order of ``servers``.
  public let routePorts: [Int]

  /// The client URLs of all members.
  public var urls: [String] { servers.map(\.url) }

  private init(servers: [NATSServerProcess], clusterName: String, routePorts: [Int]) {
    self.servers = servers
    self.clusterName = clusterName
    self.routePorts = routePorts
  }

  deinit {
    stop()
  }

  /// Starts `size` routed servers on loopback and waits (bounded, 30 s) for the full mesh
  /// (and, with `jetStream`, for a JetStream metadata leader).
  public static func start(size: Int = 3, jetStream: Bool = false) async throws -> NATSServerCluster {
    guard size >= 1 else { throw TestSupportError("a cluster needs at least one server") }
    let clusterName = "test-cluster"
    let clientPorts = try (0..<size).map { _ in try FreePort.next() }
    let routePorts = try (0..<size).map { _ in try FreePort.next() }
    let routes = routePorts.map { "\"nats-route://127.0.0.1:\($0)\"" }.joined(separator: ", ")

    var servers: [NATSServerProcess] = []
    do {
      try await withThrowingTaskGroup(of: (Int, NATSServerProcess).self) { group in
        for index in 0..<size {
          let config = """
            cluster {
              name: "\(clusterName)"
              listen: "127.0.0.1:\(routePorts[index])"
              routes: [\(routes)]
              connect_retries: 120
            }

            """
          group.addTask {
            let server = try await NATSServerProcess.start(
              jetStream: jetStream, config: config, port: clientPorts[index], name: "n\(index + 1)")
            return (index, server)
          }
        }
        var started: [(Int, NATSServerProcess)] = []
        for try await entry in group {
          started.append(entry)
        }
        servers = started.sorted { $0.0 < $1.0 }.map(\.1)
      }
    } catch {
      throw TestSupportError("cluster did not start: \(error)")
    }
    let cluster = NATSServerCluster(servers: servers, clusterName: clusterName, routePorts: routePorts)
    try await cluster.waitForMesh(timeout: 30)
    if jetStream {
      try await cluster.waitForMetaLeader(timeout: 30)
    }
    return cluster
  }

  /// Stops every member (each SIGTERM, bounded wait, SIGKILL).
  public func stop() {
    for server in servers {
      server.stop()
    }
  }

  /// Waits until each running member's INFO `connect_urls` names every other running member's client port.
  public func waitForMesh(timeout: Double = 30) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let running = servers.filter(\.isRunning)
      let complete = running.allSatisfy { server in
        guard let urls = Self.connectURLs(port: server.port) else { return false }
        return running.allSatisfy { other in
          other.port == server.port || urls.contains { $0.hasSuffix(":\(other.port)") }
        }
      }
      if complete { return }
      if Date() >= deadline {
        let tails = servers.map { "--- \($0.name):\n\($0.logTail(lines: 15))" }.joined(separator: "\n")
        throw TestSupportError("cluster routes not complete after \(Int(timeout)) s\n\(tails)")
      }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
  }

  /// Waits until some member's log reports a JetStream metadata leader.
  public func waitForMetaLeader(timeout: Double = 30) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let elected = servers.contains { server in
        let log = server.currentLaunchLog()
        return log.contains("JetStream cluster new metadata leader")
          || log.contains("Self is new JetStream cluster metadata leader")
      }
      if elected { return }
      if Date() >= deadline {
        let tails = servers.map { "--- \($0.name):\n\($0.logTail(lines: 15))" }.joined(separator: "\n")
        throw TestSupportError("no JetStream metadata leader after \(Int(timeout)) s\n\(tails)")
      }
      try await Task.sleep(nanoseconds: 100_000_000)
    }
  }

  /// The `connect_urls` of a server's INFO, or nil if it cannot be read.
  static func connectURLs(port: Int) -> [String]? {
    guard let line = Socket.firstLine(port: port), line.hasPrefix("INFO ") else { return nil }
    let json = Data(line.dropFirst(5).utf8)
    guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else { return nil }
    return object["connect_urls"] as? [String] ?? []
  }
}
