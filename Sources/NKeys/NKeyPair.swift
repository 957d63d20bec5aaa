import Crypto

/// An Ed25519 key pair in NATS NKey form: a seed (`SU…`, `SA…`, `SO…`) and its public key (`U…`, `A…`, `O…`).
///
/// The pair holds its 32-byte Ed25519 seed; `description`, `debugDescription` and reflection never show it.
public struct NKeyPair: Sendable {
  /// The role of the key (user, account, operator, server or cluster).
  public let role: NKeyPrefix
  private let rawSeed: [UInt8]
  private let rawPublicKey: [UInt8]

  /// Decodes an encoded seed ("SU…" for a user): base32, a CRC16-XMODEM check, two prefix bytes
  /// (the seed prefix and the role) and the 32-byte Ed25519 seed.
  ///
  /// Surrounding whitespace is ignored. The error never contains the seed.
  public init(seed: String) throws(NKeyError) {
    let text = seed.trimmingASCIIWhitespace()
    let raw = try Self.decodeChecked(text, what: "seed")
    guard raw.count == 2 + 32 else {
      throw NKeyError(
        code: .invalidLength, message: "seed holds \(raw.count - 2) key bytes, expected 32")
    }
    let seedPrefix = raw[0] & 0xF8
    guard seedPrefix == NKeyPrefix.seed.rawValue else {
      throw NKeyError(code: .invalidPrefix, message: "text is not an NKey seed (it must start with 'S')")
    }
    let roleByte = (raw[0] & 0x07) << 5 | (raw[1] & 0xF8) >> 3
    guard let role = NKeyPrefix(rawValue: roleByte), role.isPublicKeyRole else {
      throw NKeyError(code: .invalidPrefix, message: "seed names an unknown key role (\(roleByte))")
    }
    try self.init(role: role, rawSeed: Array(raw[2...]))
  }

  private init(role: NKeyPrefix, rawSeed: [UInt8]) throws(NKeyError) {
    let privateKey: Curve25519.Signing.PrivateKey
    do {
      privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: rawSeed)
    } catch {
      throw NKeyError(code: .invalidKey, message: "seed bytes are not a usable Ed25519 key")
    }
    self.role = role
    self.rawSeed = rawSeed
    self.rawPublicKey = Array(privateKey.publicKey.rawRepresentation)
  }

  /// Generates a fresh random key pair for `type`.
  ///
  /// - Precondition: `type` is a key role (`.user`, `.account`, `.operator`, `.server` or `.cluster`);
  ///   `.seed` and `.privateKey` are encodings, not roles, and passing them is a programming error.
  public static func generate(_ type: NKeyPrefix) -> NKeyPair {
    precondition(type.isPublicKeyRole, "NKeyPair.generate needs a key role, not '\(type)'")
    let privateKey = Curve25519.Signing.PrivateKey()
    return NKeyPair(
      role: type, rawSeed: Array(privateKey.rawRepresentation),
      rawPublicKey: Array(privateKey.publicKey.rawRepresentation))
  }

  private init(role: NKeyPrefix, rawSeed: [UInt8], rawPublicKey: [UInt8]) {
    self.role = role
    self.rawSeed = rawSeed
    self.rawPublicKey = rawPublicKey
  }

  /// The encoded public key: the role prefix byte, 32 key bytes and a little-endian CRC16, in base32
  /// ("U…" for a user, "A…" for an account, "O…" for an operator).
  public var publicKey: String {
    Self.encodeChecked([role.rawValue] + rawPublicKey)
  }

  /// The encoded seed ("SU…" for a user). Secret: never log it.
  public var seed: String {
    let first = NKeyPrefix.seed.rawValue | role.rawValue >> 5
    let second = (role.rawValue & 0x1F) << 3
    return Self.encodeChecked([first, second] + rawSeed)
  }

  /// The raw 32-byte Ed25519 public key.
  public var publicKeyBytes: [UInt8] { rawPublicKey }

  /// Signs `data` with Ed25519 and returns the 64-byte signature.
  ///
  /// The crypto backend cannot fail for a key this type holds; if it ever did, the result is empty,
  /// which no verifier accepts.
  public func sign(_ data: [UInt8]) -> [UInt8] {
    guard let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawSeed),
      let signature = try? privateKey.signature(for: data)
    else {
      return []
    }
    return Array(signature)
  }

  /// Checks an Ed25519 `signature` of `data` against an encoded public key ("U…", "A…", "O…", "N…", "C…").
  ///
  /// Returns `false` for a signature that does not verify; throws ``NKeyError`` when the public key
  /// itself is malformed (bad base32, CRC, prefix or length).
  public static func verify(publicKey: String, signature: [UInt8], data: [UInt8]) throws(NKeyError) -> Bool {
    let raw = try decodeChecked(publicKey.trimmingASCIIWhitespace(), what: "public key")
    guard raw.count == 1 + 32 else {
      throw NKeyError(
        code: .invalidLength, message: "public key holds \(raw.count - 1) key bytes, expected 32")
    }
    guard let role = NKeyPrefix(rawValue: raw[0]), role.isPublicKeyRole else {
      throw NKeyError(code: .invalidPrefix, message: "text is not an NKey public key (prefix \(raw[0]))")
    }
    let key: Curve25519.Signing.PublicKey
    do {
      key = try Curve25519.Signing.PublicKey(rawRepresentation: Array(raw[1...]))
    } catch {
      throw NKeyError(code: .invalidKey, message: "public key bytes are not a usable Ed25519 key")
    }
    return key.isValidSignature(signature, for: data)
  }

  /// Verifies `signature` of `data` against this pair's public key.
  public func verify(signature: [UInt8], data: [UInt8]) -> Bool {
    guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawPublicKey) else {
      return false
    }
    return key.isValidSignature(signature, for: data)
  }

  /// Appends the little-endian CRC16 and base32-encodes.
  private static func encodeChecked(_ bytes: [UInt8]) -> String {
    let crc = CRC16.xmodem(bytes)
    return Base32.encode(bytes + [UInt8(truncatingIfNeeded: crc), UInt8(truncatingIfNeeded: crc >> 8)])
  }

  /// Base32-decodes, checks and strips the trailing little-endian CRC16.
  private static func decodeChecked(_ text: String, what: String) throws(NKeyError) -> [UInt8] {
    let decoded: [UInt8]
    do {
      decoded = try Base32.decode(text)
    } catch {
      throw NKeyError(code: .invalidEncoding, message: "\(what) is not valid base32: \(error.message)")
    }
    guard decoded.count > 4 else {
      throw NKeyError(code: .invalidLength, message: "\(what) is too short (\(decoded.count) bytes)")
    }
    let body = Array(decoded.dropLast(2))
    let stored = UInt16(decoded[decoded.count - 2]) | UInt16(decoded[decoded.count - 1]) << 8
    guard CRC16.xmodem(body) == stored else {
      throw NKeyError(code: .invalidChecksum, message: "\(what) fails its CRC16 check")
    }
    return body
  }
}

extension NKeyPair: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// The role and public key; never the seed.
  public var description: String { "NKeyPair(\(role), \(publicKey))" }
  /// Same as `description`: the seed stays hidden.
  public var debugDescription: String { description }
  /// A mirror that shows the role and public key only.
  public var customMirror: Mirror {
    Mirror(self, children: ["role": role, "publicKey": publicKey], displayStyle: .struct)
  }
}
