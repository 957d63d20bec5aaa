import Foundation

/// Test PKI generated at test time with the openssl CLI into a temp dir (nothing secret committed).
///
/// Keys are ECDSA P-256 in PEM (PKCS#8); certificates are valid for 30 days from now.
public struct TestPKI: Sendable {
  /// The trusted test CA certificate.
  public var caCertPath: String
  /// Server certificate signed by the CA, SANs `DNS:localhost` and `IP:127.0.0.1`, EKU serverAuth.
  public var serverCertPath: String
  /// The server certificate's private key.
  public var serverKeyPath: String
  /// Client certificate signed by the CA (CN `test-client`), EKU clientAuth.
  public var clientCertPath: String
  /// The client certificate's private key.
  public var clientKeyPath: String
  /// A second, untrusted CA (the server and clients do not trust it).
  public var otherCACertPath: String
  /// Client certificate signed by the untrusted CA, for "rejected client certificate" tests.
  public var otherClientCertPath: String
  /// The untrusted client certificate's private key.
  public var otherClientKeyPath: String
  /// The temp directory holding every file.
  public var directory: String

  /// CA, server cert for 127.0.0.1 / localhost (SANs), client cert signed by CA, an untrusted second CA
  /// (and a client cert it signed). Needs `openssl` on PATH.
  public static func generate() throws -> TestPKI {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("nats-test-pki-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let pki = TestPKI(
      caCertPath: directory + "/ca.pem",
      serverCertPath: directory + "/server-cert.pem",
      serverKeyPath: directory + "/server-key.pem",
      clientCertPath: directory + "/client-cert.pem",
      clientKeyPath: directory + "/client-key.pem",
      otherCACertPath: directory + "/other-ca.pem",
      otherClientCertPath: directory + "/other-client-cert.pem",
      otherClientKeyPath: directory + "/other-client-key.pem",
      directory: directory)

    try makeCA(directory: directory, name: "ca", commonName: "NATS Test CA")
    try makeCA(directory: directory, name: "other-ca", commonName: "NATS Untrusted Test CA")
    try makeLeaf(
      directory: directory, name: "server", ca: "ca", commonName: "localhost",
      extensions: """
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:localhost, IP:127.0.0.1
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        """)
    let clientExtensions = """
      basicConstraints = critical, CA:FALSE
      keyUsage = critical, digitalSignature, keyEncipherment
      extendedKeyUsage = clientAuth
      subjectKeyIdentifier = hash
      authorityKeyIdentifier = keyid
      """
    try makeLeaf(
      directory: directory, name: "client", ca: "ca", commonName: "test-client", extensions: clientExtensions)
    try makeLeaf(
      directory: directory, name: "other-client", ca: "other-ca", commonName: "untrusted-client",
      extensions: clientExtensions)
    return pki
  }

  private static let keyOptions = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

  private static func makeCA(directory: String, name: String, commonName: String) throws {
    try ToolRunner.check(
      ["openssl", "req", "-x509"] + keyOptions + [
        "-keyout", "\(name)-key.pem", "-out", "\(name).pem", "-days", "30", "-subj", "/CN=\(commonName)",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash",
      ], in: directory)
  }

  private static func makeLeaf(
    directory: String, name: String, ca: String, commonName: String, extensions: String
  ) throws {
    let extensionsFile = "\(name).ext"
    try (extensions + "\n").write(toFile: directory + "/" + extensionsFile, atomically: true, encoding: .utf8)
    try ToolRunner.check(
      ["openssl", "req", "-new"] + keyOptions + [
        "-keyout", "\(name)-key.pem", "-out", "\(name).csr", "-subj", "/CN=\(commonName)",
      ], in: directory)
    try ToolRunner.check(
      [
        "openssl", "x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca)-key.pem",
        "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", "30", "-sha256",
        "-extfile", extensionsFile, "-out", "\(name)-cert.pem",
      ], in: directory)
  }
}
