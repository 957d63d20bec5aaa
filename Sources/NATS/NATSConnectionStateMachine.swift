import NATSWire
import NIOCore

/// The connection lifecycle as a pure state machine: every event returns the actions the
/// connection must execute. No I/O, no clock of its own (`now` comes with each event), no
/// randomness of its own (jitter comes from an injected generator), so tests drive it as a
/// sequence of events and expected actions.
///
/// It owns the server pool (seed + discovered servers, per-server failed attempts and the next
/// time each may be tried), reconnect backoff, keepalive accounting and lame-duck handling.
struct NATSConnectionStateMachine: Sendable {
  struct Configuration: Sendable {
    var allowReconnect = true
    var maxReconnectAttempts = 60
    var reconnectWait: Duration = .milliseconds(250)
    var reconnectMaxWait: Duration = .seconds(4)
    var reconnectJitter: Duration = .milliseconds(100)
    var maxPingsOutstanding = 2
    var ignoreDiscoveredServers = false
    var retryOnFailedConnect = false
  }

  struct ServerEntry: Sendable, Equatable {
    var address: NATSServerAddress
    var isDiscovered: Bool
    var failedAttempts = 0
    var nextEligible: NIODeadline = .uptimeNanoseconds(0)
    var triedInitially = false
  }

  enum State: Sendable, Equatable {
    case idle
    case connecting(server: NATSServerAddress, isReconnect: Bool)
    case connected(server: NATSServerAddress)
    case waitingToReconnect
    case closing
    case closed
  }

  enum Action: Sendable, Equatable {
    /// Open TCP (+TLS) to this server and run the INFO/CONNECT/PING handshake.
    case openConnection(NATSServerAddress)
    /// Call `reconnectTimerFired` after this delay.
    case scheduleReconnect(after: Duration)
    /// Write a keepalive PING.
    case sendPing
    /// Close the current channel (stale connection, lame duck, close requested).
    case closeConnection(NATSError.Code)
    /// Handshake done: replay subscriptions and the reconnect buffer, then emit connected/reconnected.
    case established(server: NATSServerAddress, isReconnect: Bool)
    /// Emit a `disconnected` event; publishes are buffered from now on.
    case disconnected
    /// Emit a `lameDuckMode` event.
    case lameDuck(NATSServerAddress)
    /// New servers learnt from `connect_urls`.
    case discovered([String])
    /// No way to (re)connect: fail everything and close for good.
    case giveUp(NATSError)
    /// Close finished: release everything.
    case closed
  }

  private(set) var state: State = .idle {
    didSet {
      if case .connected = state { isConnected = true } else { isConnected = false }
    }
  }
  /// Whether `state` is `.connected`; stored, since every publish asks (matching the enum copies
  /// the server address out of it).
  private(set) var isConnected = false
  private(set) var pool: [ServerEntry]
  private(set) var pingsOutstanding = 0
  private(set) var everConnected = false
  private(set) var reconnects = 0
  private let configuration: Configuration
  private var jitter: @Sendable (Duration) -> Duration

  /// - Parameters:
  ///   - servers: the seed pool, already in the order to try (shuffled by the caller unless noRandomize).
  ///   - jitter: returns a random duration in 0...bound (tests inject a deterministic one).
  init(
    servers: [NATSServerAddress], configuration: Configuration,
    jitter: @escaping @Sendable (Duration) -> Duration
  ) {
    var seen = Set<String>()
    self.pool = servers.filter { seen.insert($0.hostPort).inserted }.map {
      ServerEntry(address: $0, isDiscovered: false)
    }
    self.configuration = configuration
    self.jitter = jitter
  }

  var currentServer: NATSServerAddress? {
    switch state {
    case .connecting(let s, _), .connected(let s): return s
    default: return nil
    }
  }

  // MARK: events

  mutating func start(now: NIODeadline) -> [Action] {
    guard case .idle = state else { return [] }
    guard !pool.isEmpty else {
      state = .closed
      return [.giveUp(NATSError(.noServers, "no servers configured"))]
    }
    return nextAttempt(now: now)
  }

  mutating func handshakeCompleted(info: NATSServerInfo, now: NIODeadline) -> [Action] {
    guard case .connecting(let server, let isReconnect) = state else { return [] }
    state = .connected(server: server)
    pingsOutstanding = 0
    if let i = index(of: server) {
      pool[i].failedAttempts = 0
      pool[i].nextEligible = now
    }
    if isReconnect { reconnects += 1 }
    everConnected = true
    var actions: [Action] = [.established(server: server, isReconnect: isReconnect)]
    actions += merge(info: info, now: now)
    return actions
  }

  mutating func connectFailed(error: NATSError, now: NIODeadline) -> [Action] {
    if case .closing = state {
      state = .closed
      return [.closed]
    }
    guard case .connecting(let server, _) = state else { return [] }
    if let i = index(of: server) {
      pool[i].failedAttempts += 1
      pool[i].nextEligible = now + .nanoseconds(backoffNanos(attempts: pool[i].failedAttempts))
      if configuration.maxReconnectAttempts >= 0,
        pool[i].failedAttempts > configuration.maxReconnectAttempts
      {
        pool.remove(at: i)
      }
    }
    if !everConnected && !configuration.retryOnFailedConnect {
      // Initial connect: each server once, then fail with the last error.
      guard let next = pool.firstIndex(where: { !$0.triedInitially }) else {
        state = .closed
        return [.giveUp(error)]
      }
      pool[next].triedInitially = true
      state = .connecting(server: pool[next].address, isReconnect: false)
      return [.openConnection(pool[next].address)]
    }
    return nextAttempt(now: now)
  }

  /// The channel closed (error, server gone, stale, lame duck or our own close).
  mutating func connectionLost(now: NIODeadline) -> [Action] {
    switch state {
    case .closing:
      state = .closed
      return [.closed]
    case .connected(let server):
      if let i = index(of: server) { pool[i].nextEligible = now + configuration.reconnectWait }
      guard configuration.allowReconnect else {
        state = .closed
        return [
          .disconnected, .giveUp(NATSError(.connectionClosed, "connection lost and reconnect is disabled")),
        ]
      }
      return [.disconnected] + nextAttempt(now: now)
    case .connecting:
      return connectFailed(
        error: NATSError(.connectionFailed, "connection closed during handshake"), now: now)
    case .idle, .waitingToReconnect, .closed:
      return []
    }
  }

  mutating func reconnectTimerFired(now: NIODeadline) -> [Action] {
    guard case .waitingToReconnect = state else { return [] }
    return nextAttempt(now: now)
  }

  mutating func pingTimerFired() -> [Action] {
    guard case .connected = state else { return [] }
    if pingsOutstanding >= configuration.maxPingsOutstanding {
      return [.closeConnection(.staleConnection)]
    }
    pingsOutstanding += 1
    return [.sendPing]
  }

  mutating func pongReceived() {
    pingsOutstanding = 0
  }

  /// An asynchronous INFO while connected.
  mutating func infoReceived(_ info: NATSServerInfo, now: NIODeadline) -> [Action] {
    guard case .connected = state else { return [] }
    return merge(info: info, now: now)
  }

  mutating func closeRequested() -> [Action] {
    switch state {
    case .closed, .closing: return []
    case .connected, .connecting:
      state = .closing
      return [.closeConnection(.connectionClosed)]
    case .idle, .waitingToReconnect:
      state = .closed
      return [.closed]
    }
  }

  // MARK: helpers

  private func index(of server: NATSServerAddress) -> Int? {
    pool.firstIndex { $0.address.hostPort == server.hostPort }
  }

  private mutating func merge(info: NATSServerInfo, now: NIODeadline) -> [Action] {
    var actions: [Action] = []
    if !configuration.ignoreDiscoveredServers, let urls = info.connectURLs {
      var added: [String] = []
      for url in urls {
        guard let address = try? NATSServerAddress(parsing: url) else { continue }
        var candidate = address
        if let tlsSeed = pool.first?.address.requiresTLS { candidate.requiresTLS = tlsSeed }
        if index(of: candidate) == nil {
          pool.append(ServerEntry(address: candidate, isDiscovered: true, nextEligible: now))
          added.append(candidate.hostPort)
        }
      }
      if !added.isEmpty { actions.append(.discovered(added)) }
    }
    if info.lameDuckMode == true, case .connected(let server) = state {
      // Proactively move elsewhere: this server is about to shut down.
      if let i = index(of: server) {
        pool[i].nextEligible = now + configuration.reconnectMaxWait
      }
      actions.append(.lameDuck(server))
      actions.append(.closeConnection(.connectionClosed))
    }
    return actions
  }

  private func backoffNanos(attempts: Int) -> Int64 {
    guard attempts > 0 else { return 0 }
    let base = configuration.reconnectWait.nanoseconds
    let cap = configuration.reconnectMaxWait.nanoseconds
    let shift = min(attempts - 1, 20)
    let raw = base.multipliedReportingOverflow(by: Int64(1) << shift)
    return raw.overflow ? cap : min(raw.partialValue, cap)
  }

  private mutating func nextAttempt(now: NIODeadline) -> [Action] {
    guard !pool.isEmpty else {
      state = .closed
      return [
        .giveUp(
          NATSError(
            .noServers, "every server exceeded \(configuration.maxReconnectAttempts) reconnect attempts"))
      ]
    }
    // Earliest eligible server; ties keep pool order, after the server we just used.
    let startIndex = currentServer.flatMap { index(of: $0) }.map { $0 + 1 } ?? 0
    var best: Int?
    for offset in 0..<pool.count {
      let i = (startIndex + offset) % pool.count
      if best == nil || pool[i].nextEligible < pool[best!].nextEligible { best = i }
    }
    let chosen = best ?? 0
    let address = pool[chosen].address
    pool[chosen].triedInitially = true
    if pool[chosen].nextEligible <= now {
      state = .connecting(server: address, isReconnect: everConnected)
      return [.openConnection(address)]
    }
    state = .waitingToReconnect
    let wait = Duration.nanoseconds((pool[chosen].nextEligible - now).nanoseconds)
    return [.scheduleReconnect(after: wait + jitter(configuration.reconnectJitter))]
  }
}

extension Duration {
  /// Whole nanoseconds (saturating).
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    return overflow ? Int64.max : ns + attoseconds / 1_000_000_000
  }
}

extension NIODeadline {
  static func + (lhs: NIODeadline, rhs: Duration) -> NIODeadline {
    lhs + TimeAmount.nanoseconds(rhs.nanoseconds)
  }
}
