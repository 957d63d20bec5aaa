import Foundation

/// A self-check of this target against the installed nats-server, callable from any integration test
/// (NKeysTests may not depend on this target, so the check lives here as a plain function).
///
/// It starts a JetStream server, reads its INFO over TCP, restarts it on the same port, stops it,
/// starts a 3-node cluster and waits for the full route mesh, and starts one server with the TLS config
/// (mutual TLS, TLS first) and one with the JWT config, checking that neither logs an error.
public enum NATSTestSupportSelfCheck {
  /// Runs every check; throws ``TestSupportError`` naming the first that fails. Returns a one-line summary.
  @discardableResult
  public static func run() async throws -> String {
    var steps: [String] = []

    let server = try await NATSServerProcess.start()
    try expectINFO(port: server.port, what: "single server", jetStream: true)
    let port = server.port
    try await server.restart()
    guard server.port == port else { throw TestSupportError("restart moved the server to another port") }
    try expectINFO(port: port, what: "restarted server", jetStream: true)
    server.stop()
    guard !server.isRunning, !Socket.accepts(port: port) else {
      throw TestSupportError("server still accepts connections after stop()")
    }
    steps.append("start/restart/stop on port \(port)")

    let cluster = try await NATSServerCluster.start(size: 3)
    cluster.stop()
    steps.append("3-node cluster meshed")

    let pki = try TestPKI.generate()
    defer { try? FileManager.default.removeItem(atPath: pki.directory) }
    let tlsServer = try await NATSServerProcess.start(
      config: TestServerConfigs.tls(pki, verifyClients: true, handshakeFirst: true))
    try expectCleanLog(tlsServer, what: "TLS server")
    tlsServer.stop()
    steps.append("TLS server clean")

    let jwtDirectory = FileManager.default.temporaryDirectory
      .appendingPathComponent("nats-test-jwt-\(UUID().uuidString.prefix(8))").path
    defer { try? FileManager.default.removeItem(atPath: jwtDirectory) }
    let auth = try TestJWTAuth.generate(directory: jwtDirectory)
    let jwtServer = try await NATSServerProcess.start(config: auth.serverConfig)
    try expectCleanLog(jwtServer, what: "JWT server")
    let info = try expectINFO(port: jwtServer.port, what: "JWT server", jetStream: true)
    guard info.contains("\"nonce\"") else { throw TestSupportError("JWT server INFO carries no nonce") }
    jwtServer.stop()
    steps.append("JWT server clean")

    return steps.joined(separator: "; ")
  }

  @discardableResult
  private static func expectINFO(port: Int, what: String, jetStream: Bool) throws -> String {
    guard let line = Socket.firstLine(port: port), line.hasPrefix("INFO {") else {
      throw TestSupportError("\(what): no INFO line on port \(port)")
    }
    if jetStream, !line.contains("\"jetstream\":true") {
      throw TestSupportError("\(what): INFO does not announce JetStream")
    }
    return line
  }

  private static func expectCleanLog(_ server: NATSServerProcess, what: String) throws {
    let bad = server.logContents().split(separator: "\n").filter {
      $0.contains("[ERR]") || $0.contains("[FTL]")
    }
    guard bad.isEmpty else {
      throw TestSupportError("\(what) logged errors:\n\(bad.joined(separator: "\n"))")
    }
  }
}
