#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `malloc` this process runs on.
///
/// The services are deployed with jemalloc preloaded (`LD_PRELOAD`: the Docker image,
/// `ops/scripts/run-fleet.sh`, `bench/run-fleet-benchmark.sh`; `ops/scripts/jemalloc-path.sh`
/// finds the library). A service frees most of an event's allocations on another thread than the
/// one that made them (decoded on the cooperative pool, applied by the writer, released by the
/// settler); glibc's malloc pays for that in arena locks and chunk consolidation, and jemalloc
/// took ~7 % off the service's CPU per event in the fleet benchmark (docs/BENCHMARKS.md). The
/// services log which one they found at start, so a deployment without it is visible.
public enum MemoryAllocator: Sendable, Equatable, CustomStringConvertible {
  /// jemalloc, with its version string (`mallctl("version")`).
  case jemalloc(version: String)
  /// Not jemalloc: the C library's malloc, or another preloaded allocator.
  case other

  /// Detected once: jemalloc exports `mallctl`, which neither glibc nor musl has.
  public static let current: MemoryAllocator = detect()

  /// What the services' start line and the fleet benchmark's report say.
  public var description: String {
    switch self {
    case .jemalloc(let version): "jemalloc \(version)"
    case .other: "libc malloc (jemalloc not preloaded)"
    }
  }

  private typealias Mallctl =
    @convention(c) (
      UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?,
      Int
    ) -> Int32

  private static func detect() -> MemoryAllocator {
    // RTLD_DEFAULT: every object loaded into the process, preloads first.
    #if os(Linux)
      let everything = UnsafeMutableRawPointer(bitPattern: 0)
    #else
      let everything = UnsafeMutableRawPointer(bitPattern: -2)
    #endif
    guard let symbol = dlsym(everything, "mallctl") else { return .other }
    let mallctl = unsafeBitCast(symbol, to: Mallctl.self)
    var version: UnsafePointer<CChar>? = nil
    var size = MemoryLayout<UnsafePointer<CChar>?>.size
    let status = withUnsafeMutablePointer(to: &version) { pointer in
      mallctl("version", UnsafeMutableRawPointer(pointer), &size, nil, 0)
    }
    guard status == 0, let version else { return .jemalloc(version: "unknown") }
    return .jemalloc(version: String(cString: version))
  }
}
