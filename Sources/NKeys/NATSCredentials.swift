import Foundation

/// A NATS user credentials file: JWT block and seed block.
///
/// The file looks like `nsc` writes it:
/// ```
/// -----BEGIN NATS USER JWT-----
/// eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ...
/// ------END NATS USER JWT------
///
/// -----BEGIN USER NKEY SEED-----
/// SUA...
/// ------END USER NKEY SEED------
/// ```
/// `description` and reflection never show the JWT or the seed.
public struct NATSCredentials: Sendable {
  /// The user JWT, sent as `jwt` in CONNECT. Secret-ish: never log it.
  public var jwt: String
  /// The user key pair decoded from the seed block; signs the server's nonce.
  public var keyPair: NKeyPair

  /// Creates credentials from a JWT and a key pair already in hand.
  public init(jwt: String, keyPair: NKeyPair) {
    self.jwt = jwt
    self.keyPair = keyPair
  }

  /// Parses the text of a credentials file.
  ///
  /// Tolerates CRLF or CR line ends, any number (three or more) of dashes around the markers,
  /// indentation, blank lines and the `*** IMPORTANT ***` banner. The JWT block is the one whose marker
  /// names a JWT (else the first block), the seed block the one whose marker names a SEED
  /// (else the second block). Errors never contain the JWT or the seed.
  public init(contents: String) throws(NKeyError) {
    let blocks = Self.blocks(in: contents)
    guard !blocks.isEmpty else {
      throw NKeyError(code: .invalidCredentials, message: "credentials contain no -----BEGIN ...----- block")
    }
    let jwtBlock = blocks.first { $0.label.contains("JWT") } ?? blocks.first { !$0.label.contains("SEED") }
    let seedBlock =
      blocks.first { $0.label.contains("SEED") }
      ?? blocks.dropFirst().first { !$0.label.contains("JWT") }
    guard let jwtBlock else {
      throw NKeyError(code: .invalidCredentials, message: "credentials have no user JWT block")
    }
    guard let seedBlock else {
      throw NKeyError(code: .invalidCredentials, message: "credentials have no NKEY SEED block")
    }
    guard !jwtBlock.body.isEmpty else {
      throw NKeyError(code: .invalidCredentials, message: "the user JWT block is empty")
    }
    guard jwtBlock.body.split(separator: ".", omittingEmptySubsequences: false).count == 3 else {
      throw NKeyError(
        code: .invalidCredentials, message: "the user JWT block does not hold a JWT (header.claims.signature)"
      )
    }
    guard !seedBlock.body.isEmpty else {
      throw NKeyError(code: .invalidCredentials, message: "the NKEY SEED block is empty")
    }
    let keyPair: NKeyPair
    do {
      keyPair = try NKeyPair(seed: seedBlock.body)
    } catch {
      throw NKeyError(code: error.code, message: "the NKEY SEED block is invalid: \(error.message)")
    }
    self.init(jwt: jwtBlock.body, keyPair: keyPair)
  }

  /// Reads and parses a credentials file. The error names the path, never the contents.
  public init(path: String) throws(NKeyError) {
    let contents: String
    do {
      contents = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw NKeyError(code: .unreadableFile, message: "cannot read credentials file at \(path)")
    }
    do {
      try self.init(contents: contents)
    } catch {
      throw NKeyError(code: error.code, message: "\(error.message) (file \(path))")
    }
  }

  /// What goes into CONNECT when INFO has a nonce: sig = Base64URL(sign(nonce utf8)).
  public func signNonce(_ nonce: String) -> String {
    Base64URL.encode(keyPair.sign(Array(nonce.utf8)))
  }

  /// One `-----BEGIN X-----` … `-----END X-----` block: the marker's label and the joined body lines.
  private struct Block {
    var label: String
    var body: String
  }

  /// Splits `contents` into marker-delimited blocks; text outside blocks is ignored.
  private static func blocks(in contents: String) -> [Block] {
    let lines = contents.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    var blocks: [Block] = []
    var open: (label: String, body: [String])?
    for rawLine in lines {
      let line = String(rawLine).trimmingASCIIWhitespace()
      if let marker = marker(line) {
        if marker.isBegin {
          open = (marker.label, [])
        } else if let current = open {
          blocks.append(Block(label: current.label, body: current.body.joined()))
          open = nil
        }
      } else if !line.isEmpty, open != nil {
        open?.body.append(line)
      }
    }
    return blocks
  }

  /// Recognises `---…BEGIN LABEL…---` and `---…END LABEL…---` lines (three or more dashes each side).
  private static func marker(_ line: String) -> (isBegin: Bool, label: String)? {
    guard line.hasPrefix("---"), line.hasSuffix("---") else { return nil }
    let inner = line.drop { $0 == "-" }.reversed().drop { $0 == "-" }.reversed()
    let text = String(inner).trimmingASCIIWhitespace().uppercased()
    if text.hasPrefix("BEGIN") {
      return (true, String(text.dropFirst(5)).trimmingASCIIWhitespace())
    }
    if text.hasPrefix("END") {
      return (false, String(text.dropFirst(3)).trimmingASCIIWhitespace())
    }
    return nil
  }
}

extension NATSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// The user public key only; never the JWT or the seed.
  public var description: String { "NATSCredentials(user: \(keyPair.publicKey))" }
  /// Same as `description`.
  public var debugDescription: String { description }
  /// A mirror that shows the user public key only.
  public var customMirror: Mirror {
    Mirror(self, children: ["userPublicKey": keyPair.publicKey], displayStyle: .struct)
  }
}
