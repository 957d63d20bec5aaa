import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A real nats-server child process for integration tests, on 127.0.0.1 with its own work directory.
///
/// Each server gets a fresh temp directory holding `server.conf` (when config text is given),
/// `server.log` (the server's stdout and stderr, appended across restarts) and `store/` (the JetStream
/// store, unless a store directory is given). The directory is removed when the object is released,
/// unless the environment variable `NATS_TEST_KEEP_DIRS` is set. `deinit` stops the server.
public final class NATSServerProcess: Sendable {
  /// The client port on 127.0.0.1.
  public let port: Int
  /// The JetStream store directory (kept across ``restart()``).
  public let storeDir: String
  /// The server's log file (stdout and stderr of every launch, appended).
  public let logPath: String
  /// The server name (`-n`).
  public let name: String
  /// The config file passed with `-c`, if config text was given.
  public let configPath: String?
  /// The temp directory that holds this server's files.
  public let workDirectory: String

  /// The client URL, `nats://127.0.0.1:<port>`.
  public var url: String { "nats://127.0.0.1:\(port)" }

  private let executable: String
  private let arguments: [String]
  private let state = Mutex(State())
  private static let logger = Logger(label: "NATSTestSupport.NATSServerProcess")

  private struct State {
    var process: Process?
    var launches = 0
  }

  private init(
    executable: String, arguments: [String], port: Int, name: String, storeDir: String, logPath: String,
    configPath: String?, workDirectory: String
  ) {
    self.executable = executable
    self.arguments = arguments
    self.port = port
    self.name = name
    self.storeDir = storeDir
    self.logPath = logPath
    self.configPath = configPath
    self.workDirectory = workDirectory
  }

  deinit {
    stop()
    if ProcessInfo.processInfo.environment["NATS_TEST_KEEP_DIRS"] == nil {
      try? FileManager.default.removeItem(atPath: workDirectory)
    }
  }

  /// Starts nats-server on 127.0.0.1 on a free port (or `port`), with JetStream (-js) and its own store dir
  /// (a fresh temp dir unless given), optional extra config text written to a config file (-c), waits (bounded, 15 s)
  /// until it accepts connections, and throws with the tail of the server log if it does not.
  ///
  /// When no port was requested and the chosen one turns out to be taken, it retries on a fresh port
  /// (up to three tries).
  public static func start(
    jetStream: Bool = true, config: String? = nil, port: Int? = nil, storeDir: String? = nil,
    extraArguments: [String] = [], name: String = "test"
  ) async throws -> NATSServerProcess {
    let executable = try NATSServerBinary.path()
    var lastError = TestSupportError("nats-server did not start")
    for _ in 0..<(port == nil ? 3 : 1) {
      let chosenPort = try port ?? FreePort.next()
      let server = try make(
        executable: executable, jetStream: jetStream, config: config, port: chosenPort, storeDir: storeDir,
        extraArguments: extraArguments, name: name)
      do {
        try server.launch()
        try await server.waitUntilReady(timeout: 15)
        logger.debug("nats-server started", metadata: ["name": "\(name)", "port": "\(chosenPort)"])
        return server
      } catch let error as TestSupportError {
        server.kill()
        lastError = error
        let portTaken = server.currentLaunchLog().contains("address already in use")
        guard port == nil, portTaken else { throw error }
      }
    }
    throw lastError
  }

  private static func make(
    executable: String, jetStream: Bool, config: String?, port: Int, storeDir: String?,
    extraArguments: [String],
    name: String
  ) throws -> NATSServerProcess {
    let fileManager = FileManager.default
    let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    let workDirectory = fileManager.temporaryDirectory
      .appendingPathComponent("nats-test-\(safeName)-\(UUID().uuidString.prefix(8))").path
    try fileManager.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    let store = storeDir ?? workDirectory + "/store"
    try fileManager.createDirectory(atPath: store, withIntermediateDirectories: true)
    let logPath = workDirectory + "/server.log"
    guard fileManager.createFile(atPath: logPath, contents: nil) else {
      throw TestSupportError("cannot create \(logPath)")
    }
    var configPath: String?
    if let config {
      let path = workDirectory + "/server.conf"
      try config.write(toFile: path, atomically: true, encoding: .utf8)
      configPath = path
    }
    var arguments = ["-a", "127.0.0.1", "-p", String(port), "-n", name]
    if jetStream {
      arguments += ["-js", "-sd", store]
    }
    if let configPath {
      arguments += ["-c", configPath]
    }
    arguments += extraArguments
    return NATSServerProcess(
      executable: executable, arguments: arguments, port: port, name: name, storeDir: store, logPath: logPath,
      configPath: configPath, workDirectory: workDirectory)
  }

  /// Whether the server process is alive.
  public var isRunning: Bool {
    state.withLock { $0.process?.isRunning ?? false }
  }

  /// The server's process id while it runs.
  public var processIdentifier: Int32? {
    state.withLock { state in
      guard let process = state.process, process.isRunning else { return nil }
      return process.processIdentifier
    }
  }

  /// Stops the server: SIGTERM, wait at most 10 s, then SIGKILL. Calling it again does nothing.
  public func stop() {
    guard let pid = signal(SIGTERM) else { return }
    if !waitForExit(timeout: 10) {
      Self.logger.warning("nats-server ignored SIGTERM, killing", metadata: ["port": "\(port)"])
      sendPOSIXSignal(SIGKILL, to: pid)
      _ = waitForExit(timeout: 5)
    }
    state.withLock { $0.process = nil }
  }

  /// Kills the server at once with SIGKILL (a crash, for failover tests).
  public func kill() {
    guard signal(SIGKILL) != nil else { return }
    _ = waitForExit(timeout: 5)
    state.withLock { $0.process = nil }
  }

  /// Stops the server if it runs, then starts it again on the same port, store dir and config,
  /// and waits (bounded, 15 s) until it is ready.
  public func restart() async throws {
    if let pid = signal(SIGTERM) {
      if !(await waitForExitAsync(timeout: 10)) {
        sendPOSIXSignal(SIGKILL, to: pid)
        _ = await waitForExitAsync(timeout: 5)
      }
      state.withLock { $0.process = nil }
    }
    try launch()
    do {
      try await waitUntilReady(timeout: 15)
    } catch {
      kill()
      throw error
    }
  }

  /// Sends SIGUSR2, the server's lame duck signal: it stops accepting clients, announces `ldm` in INFO
  /// to connected clients, waits `lame_duck_grace_period` and then evicts them over `lame_duck_duration`
  /// and exits. Put short values in the config (see ``TestServerConfigs/lameDuck(duration:gracePeriod:)``).
  public func enterLameDuckMode() {
    _ = signal(SIGUSR2)
  }

  /// The whole log file (every launch).
  public func logContents() -> String {
    guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
    return String(decoding: data, as: UTF8.self)
  }

  /// The last `lines` lines of the log.
  public func logTail(lines: Int = 40) -> String {
    logContents().split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(
      separator: "\n")
  }

  /// Waits (bounded) until the log of the current launch contains `text`; throws with the log tail if not.
  public func waitForLog(containing text: String, timeout: Double = 15) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if currentLaunchLog().contains(text) { return }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw TestSupportError(
      "nats-server \(name) on port \(port): log has no \"\(text)\" after \(timeout) s; log tail:\n\(logTail())"
    )
  }

  // MARK: - Process handling

  private func marker(_ launch: Int) -> String {
    "=== NATSTestSupport launch \(launch) of nats-server \(name) on port \(port) ==="
  }

  /// The log written since the most recent launch.
  func currentLaunchLog() -> String {
    let launch = state.withLock { $0.launches }
    let log = logContents()
    guard let range = log.range(of: marker(launch), options: .backwards) else { return log }
    return String(log[range.upperBound...])
  }

  private func launch() throws {
    let descriptor = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard descriptor >= 0 else {
      throw TestSupportError("cannot open \(logPath) (errno \(errno))")
    }
    let logHandle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    defer { try? logHandle.close() }
    try state.withLock { state throws in
      state.launches += 1
      logHandle.write(Data((marker(state.launches) + "\n").utf8))
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = logHandle
      process.standardError = logHandle
      do {
        try process.run()
      } catch {
        throw TestSupportError("cannot run \(executable): \(error)")
      }
      state.process = process
    }
  }

  private func waitUntilReady(timeout: Double) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    let listening = "Listening for client connections on 127.0.0.1:\(port)"
    while true {
      let log = currentLaunchLog()
      if log.contains(listening), log.contains("Server is ready") {
        return
      }
      if !isRunning {
        let status = state.withLock { $0.process?.terminationStatus } ?? -1
        throw TestSupportError(
          "nats-server \(name) exited during startup (status \(status)); log tail:\n\(logTail())")
      }
      if Date() >= deadline {
        throw TestSupportError(
          "nats-server \(name) not ready on port \(port) after \(Int(timeout)) s; log tail:\n\(logTail())")
      }
      try await Task.sleep(nanoseconds: 50_000_000)
    }
  }

  /// Sends `signal` if the process is alive; returns its pid when it did.
  private func signal(_ signal: Int32) -> Int32? {
    state.withLock { state in
      guard let process = state.process, process.isRunning else { return nil }
      sendPOSIXSignal(signal, to: process.processIdentifier)
      return process.processIdentifier
    }
  }

  private func waitForExit(timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while isRunning {
      if Date() >= deadline { return false }
      usleep(20_000)
    }
    return true
  }

  private func waitForExitAsync(timeout: Double) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while isRunning {
      if Date() >= deadline { return false }
      try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return true
  }
}
