/// nats-server config snippets for ``NATSServerProcess/start(jetStream:config:port:storeDir:extraArguments:name:)``.
///
/// Snippets are complete top-level blocks; join several with newlines.
public enum TestServerConfigs {
  /// One user with a password.
  public static func userPassword(user: String, password: String) -> String {
    """
    authorization {
      user: \(quoted(user))
      password: \(quoted(password))
    }

    """
  }

  /// A single client token.
  public static func token(_ token: String) -> String {
    """
    authorization {
      token: \(quoted(token))
    }

    """
  }

  /// One NKey user, identified by its public key ("U…"); the client signs the nonce with the seed.
  public static func nkey(userPublicKey: String) -> String {
    """
    authorization {
      users: [
        { nkey: \(quoted(userPublicKey)) }
      ]
    }

    """
  }

  /// TLS for client connections with the test PKI's server certificate.
  ///
  /// - Parameters:
  ///   - verifyClients: require a client certificate signed by the test CA (`verify: true`).
  ///   - handshakeFirst: TLS handshake before INFO (`handshake_first: true`); clients must do TLS first too.
  public static func tls(_ pki: TestPKI, verifyClients: Bool, handshakeFirst: Bool) -> String {
    var lines = [
      "  cert_file: \(quoted(pki.serverCertPath))",
      "  key_file: \(quoted(pki.serverKeyPath))",
      "  ca_file: \(quoted(pki.caCertPath))",
      "  verify: \(verifyClients)",
      "  timeout: 5",
    ]
    if handshakeFirst {
      lines.append("  handshake_first: true")
    }
    return "tls {\n" + lines.joined(separator: "\n") + "\n}\n"
  }

  /// Short lame duck timings so a test sees eviction quickly (the server's defaults are 10 s and 2 min).
  public static func lameDuck(duration: String = "30s", gracePeriod: String = "1s") -> String {
    """
    lame_duck_duration: \(quoted(duration))
    lame_duck_grace_period: \(quoted(gracePeriod))

    """
  }

  /// A config string literal: double-quoted, with backslashes and quotes escaped.
  static func quoted(_ value: String) -> String {
    var escaped = ""
    for character in value {
      switch character {
      case "\\": escaped += "\\\\"
      case "\"": escaped += "\\\""
      case "\n": escaped += "\\n"
      case "\t": escaped += "\\t"
      default: escaped.append(character)
      }
    }
    return "\"\(escaped)\""
  }
}
