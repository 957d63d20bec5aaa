import Foundation
import NATS
import NATSTestSupport
import NKeys
import XCTest

/// TLS (server verification, mTLS, TLS-first) and every authentication method against a real server.
final class NATSSecurityIntegrationTests: XCTestCase {
  func testTLSWithTestCA() async throws {
    let pki = try TestPKI.generate()
    let server = try await NATSServerProcess.start(
      jetStream: false, config: TestServerConfigs.tls(pki, verifyClients: false, handshakeFirst: false))
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) { $0.tls = NATSTLSOptions(caFile: pki.caCertPath) }
    try await client.publish("tls.ok", payload: Array("x".utf8))
    try await client.flush()
    XCTAssertEqual(client.serverInfo?.tlsRequired, true)
    await client.close()
  }

  func testTLSUpgradeWhenServerRequiresItWithoutClientOptionsFailsVerificationWithUnknownCA() async throws {
    let pki = try TestPKI.generate()
    let server = try await NATSServerProcess.start(
      jetStream: false, config: TestServerConfigs.tls(pki, verifyClients: false, handshakeFirst: false))
    defer { server.stop() }
    // The server says tls_required; the client upgrades, with system roots, and must refuse the test CA.
    do {
      _ = try await TestClient.connect(server.url)
      XCTFail("expected a TLS verification failure")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .tlsFailure, "\(error)")
    }
    // A CA that did not sign the server certificate is refused too.
    do {
      _ = try await TestClient.connect(server.url) { $0.tls = NATSTLSOptions(caFile: pki.otherCACertPath) }
      XCTFail("expected a TLS verification failure")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .tlsFailure, "\(error)")
    }
  }

  func testMutualTLS() async throws {
    let pki = try TestPKI.generate()
    let server = try await NATSServerProcess.start(
      jetStream: false, config: TestServerConfigs.tls(pki, verifyClients: true, handshakeFirst: false))
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) {
      $0.tls = NATSTLSOptions(
        caFile: pki.caCertPath, certificateFile: pki.clientCertPath, keyFile: pki.clientKeyPath)
    }
    try await client.flush()
    await client.close()
    // PEM in memory works the same way.
    let pemClient = try await TestClient.connect(server.url) {
      var tls = NATSTLSOptions()
      tls.caPEM = try? String(contentsOfFile: pki.caCertPath, encoding: .utf8)
      tls.certificatePEM = try? String(contentsOfFile: pki.clientCertPath, encoding: .utf8)
      tls.keyPEM = try? String(contentsOfFile: pki.clientKeyPath, encoding: .utf8)
      $0.tls = tls
    }
    try await pemClient.flush()
    await pemClient.close()
    do {
      _ = try await TestClient.connect(server.url) { $0.tls = NATSTLSOptions(caFile: pki.caCertPath) }
      XCTFail("a client without a certificate must be refused")
    } catch is NATSError {
    }
  }

  func testTLSHandshakeFirst() async throws {
    let pki = try TestPKI.generate()
    let server = try await NATSServerProcess.start(
      jetStream: false, config: TestServerConfigs.tls(pki, verifyClients: false, handshakeFirst: true))
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) {
      $0.tls = NATSTLSOptions(caFile: pki.caCertPath, handshakeFirst: true)
    }
    try await client.flush()
    await client.close()
  }

  func testUserPasswordFromOptionsAndURLAndWrongPassword() async throws {
    let server = try await NATSServerProcess.start(
      jetStream: false, config: TestServerConfigs.userPassword(user: "alice", password: "s3cret"))
    defer { server.stop() }
    let viaOptions = try await TestClient.connect(server.url) {
      $0.auth = .userPassword(user: "alice", password: "s3cret")
    }
    try await viaOptions.flush()
    await viaOptions.close()
    let viaURL = try await TestClient.connect("nats://alice:s3cret@127.0.0.1:\(server.port)")
    try await viaURL.flush()
    await viaURL.close()
    do {
      _ = try await TestClient.connect(server.url) {
        $0.auth = .userPassword(user: "alice", password: "nope")
      }
      XCTFail("expected an authorization violation")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .authorizationViolation)
    }
  }

  func testToken() async throws {
    let server = try await NATSServerProcess.start(jetStream: false, config: TestServerConfigs.token("t0ken"))
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) { $0.auth = .token("t0ken") }
    try await client.flush()
    await client.close()
    let viaURL = try await TestClient.connect("nats://t0ken@127.0.0.1:\(server.port)")
    try await viaURL.flush()
    await viaURL.close()
    do {
      _ = try await TestClient.connect(server.url) { $0.auth = .token("wrong") }
      XCTFail("expected an authorization violation")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .authorizationViolation)
    }
  }

  func testNKeySeed() async throws {
    let pair = NKeyPair.generate(.user)
    let server = try await NATSServerProcess.start(
      jetStream: false, config: TestServerConfigs.nkey(userPublicKey: pair.publicKey))
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) { $0.auth = .nkeySeed(pair.seed) }
    try await client.flush()
    await client.close()
    let seedFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "seed-\(UUID().uuidString).nk"
    ).path
    try pair.seed.write(toFile: seedFile, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: seedFile) }
    let fromFile = try await TestClient.connect(server.url) { $0.auth = .nkeySeedFile(seedFile) }
    try await fromFile.flush()
    await fromFile.close()
    do {
      _ = try await TestClient.connect(server.url) { $0.auth = .nkeySeed(NKeyPair.generate(.user).seed) }
      XCTFail("an unknown nkey must be refused")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .authorizationViolation)
    }
  }

  func testCredentialsFile() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jwt-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let auth = try TestJWTAuth.generate(directory: directory)
    let server = try await NATSServerProcess.start(jetStream: false, config: auth.serverConfig)
    defer { server.stop() }
    let client = try await TestClient.connect(server.url) { $0.auth = .credentialsFile(auth.credsPath) }
    let sub = try client.subscribe("creds.test")
    try await client.publish("creds.test", payload: Array("ok".utf8))
    let got = try await collect(sub, count: 1)
    XCTAssertEqual(got.first?.payloadString, "ok")
    await client.close()
    do {
      _ = try await TestClient.connect(server.url)
      XCTFail("no credentials must be refused")
    } catch let error as NATSError {
      XCTAssertEqual(error.code, .authorizationViolation)
    }
  }
}
