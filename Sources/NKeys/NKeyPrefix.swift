/// The prefix byte that starts every encoded NKey and names its role.
///
/// Base32 turns the prefix into the key's first character: `S` (seed), `P` (private key),
/// `N` (server), `C` (cluster), `O` (operator), `A` (account) and `U` (user).
public enum NKeyPrefix: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// A seed (`S…`); the second character of a seed names the role of the key it holds.
  case seed = 144
  /// A raw private key (`P…`).
  case privateKey = 120
  /// A server identity (`N…`).
  case server = 104
  /// A cluster identity (`C…`).
  case cluster = 16
  /// An operator identity (`O…`).
  case `operator` = 112
  /// An account identity (`A…`).
  case account = 0
  /// A user identity (`U…`).
  case user = 160

  /// Whether this prefix names the role of a public key (server, cluster, operator, account or user).
  public var isPublicKeyRole: Bool {
    switch self {
    case .server, .cluster, .operator, .account, .user: return true
    case .seed, .privateKey: return false
    }
  }

  /// The role's name, for messages.
  public var description: String {
    switch self {
    case .seed: return "seed"
    case .privateKey: return "private key"
    case .server: return "server"
    case .cluster: return "cluster"
    case .operator: return "operator"
    case .account: return "account"
    case .user: return "user"
    }
  }
}
