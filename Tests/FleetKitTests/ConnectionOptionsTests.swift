import FleetKit
import NATS
import XCTest

/// `ConnectionOptions.makeClientOptions(environment:)`: flags over environment over defaults.
final class ConnectionOptionsTests: XCTestCase {
  private func options(_ arguments: [String], _ environment: [String: String] = [:]) throws
    -> NATSClientOptions
  {
    try ConnectionOptions.parse(arguments).makeClientOptions(environment: environment)
  }

  private func error(_ arguments: [String], _ environment: [String: String] = [:]) -> FleetError? {
    do {
      _ = try options(arguments, environment)
      return nil
    } catch {
      return error as? FleetError
    }
  }

  func testDefaultsWithEmptyEnvironment() throws {
    let built = try options([])
    XCTAssertEqual(built.servers, ["nats://127.0.0.1:4222"])
    XCTAssertEqual(built.name, "fleet")
    XCTAssertNil(built.tls)
    XCTAssertEqual(built.connectTimeout, .seconds(5))
    XCTAssertEqual(built.requestTimeout, .seconds(5))
    guard case .none = built.auth else { return XCTFail("expected no auth, got \(built.auth)") }
  }

  func testServerListFromEnvironmentIsSplitAndTrimmed() throws {
    let built = try options([], ["NATS_URL": "nats://a:4222, tls://b:4223 ,,nats://c"])
    XCTAssertEqual(built.servers, ["nats://a:4222", "tls://b:4223", "nats://c"])
  }

  func testServerFlagWinsOverEnvironment() throws {
    let built = try options(["--server", "nats://flag:1,nats://flag:2"], ["NATS_URL": "nats://env:4222"])
    XCTAssertEqual(built.servers, ["nats://flag:1", "nats://flag:2"])
    XCTAssertEqual(try options(["-s", "nats://short:5"]).servers, ["nats://short:5"])
  }

  func testInvalidServerURLIsAnError() {
    XCTAssertEqual(error(["--server", "http://example.com"])?.code, .invalidOption)
    XCTAssertEqual(error(["--server", "nats://host:99999"])?.code, .invalidOption)
    XCTAssertEqual(error(["--server", " , "])?.code, .invalidOption)
  }

  func testUserPasswordFromEnvironmentAndMixed() throws {
    guard
      case .userPassword(let user, let password) = try options([], ["NATS_USER": "u", "NATS_PASSWORD": "p"])
        .auth
    else { return XCTFail("expected user/password") }
    XCTAssertEqual([user, password], ["u", "p"])
    guard
      case .userPassword(let flagUser, let envPassword) = try options(
        ["--user", "admin"], ["NATS_USER": "u", "NATS_PASSWORD": "secret"]
      ).auth
    else { return XCTFail("expected user/password") }
    XCTAssertEqual([flagUser, envPassword], ["admin", "secret"])
    XCTAssertEqual(error(["--user", "admin"])?.code, .invalidOption, "a user needs a password")
    XCTAssertEqual(error(["--password", "p"])?.code, .invalidOption, "a password needs a user")
  }

  func testTokenNKeyAndCredentials() throws {
    guard case .token(let token) = try options(["--token", "t0k"]).auth else { return XCTFail("token") }
    XCTAssertEqual(token, "t0k")
    guard case .token(let envToken) = try options([], ["NATS_TOKEN": "env"]).auth else {
      return XCTFail("token")
    }
    XCTAssertEqual(envToken, "env")
    guard case .nkeySeedFile(let seed) = try options(["--nkey", "/k.nk"]).auth else { return XCTFail("nkey") }
    XCTAssertEqual(seed, "/k.nk")
    guard case .nkeySeedFile(let envSeed) = try options([], ["NATS_NKEY_SEED_FILE": "/e.nk"]).auth else {
      return XCTFail("nkey")
    }
    XCTAssertEqual(envSeed, "/e.nk")
    guard case .credentialsFile(let creds) = try options(["--creds", "/u.creds"]).auth else {
      return XCTFail("creds")
    }
    XCTAssertEqual(creds, "/u.creds")
    guard case .credentialsFile(let envCreds) = try options([], ["NATS_CREDS": "/e.creds"]).auth else {
      return XCTFail("creds")
    }
    XCTAssertEqual(envCreds, "/e.creds")
  }

  func testFlagAuthenticationWinsOverEnvironmentAndConflictsAreErrors() throws {
    guard case .token(let token) = try options(["--token", "flag"], ["NATS_CREDS": "/e.creds"]).auth else {
      return XCTFail("the flag's method must win")
    }
    XCTAssertEqual(token, "flag")
    XCTAssertEqual(error([], ["NATS_CREDS": "/e.creds", "NATS_TOKEN": "t"])?.code, .invalidOption)
    let conflict = error(["--creds", "/u.creds", "--token", "t"])
    XCTAssertEqual(conflict?.code, .invalidOption)
    XCTAssertTrue(
      conflict?.message.contains("--creds") == true && conflict?.message.contains("--token") == true)
  }

  func testTLSFlagsAndEnvironment() throws {
    XCTAssertNil(try options(["--server", "tls://secure:4222"]).tls, "tls:// alone is handled by the client")
    let ca = try XCTUnwrap(try options(["--tls-ca", "/ca.pem"]).tls)
    XCTAssertEqual(ca.caFile, "/ca.pem")
    XCTAssertNil(ca.certificateFile)
    XCTAssertFalse(ca.handshakeFirst)
    let mutual = try XCTUnwrap(
      try options([], ["NATS_TLS_CA": "/ca", "NATS_TLS_CERT": "/c", "NATS_TLS_KEY": "/k"]).tls)
    XCTAssertEqual([mutual.caFile, mutual.certificateFile, mutual.keyFile], ["/ca", "/c", "/k"])
    let flagWins = try XCTUnwrap(try options(["--tls-ca", "/flag"], ["NATS_TLS_CA": "/env"]).tls)
    XCTAssertEqual(flagWins.caFile, "/flag")
    let first = try XCTUnwrap(try options(["--tls-first"]).tls)
    XCTAssertTrue(first.handshakeFirst)
    XCTAssertEqual(error(["--tls-cert", "/c"])?.code, .invalidOption, "a certificate needs its key")
    XCTAssertEqual(error([], ["NATS_TLS_KEY": "/k"])?.code, .invalidOption)
  }

  func testTimeout() throws {
    let built = try options(["--timeout", "2.5"])
    XCTAssertEqual(built.connectTimeout, .milliseconds(2500))
    XCTAssertEqual(built.requestTimeout, .milliseconds(2500))
    XCTAssertEqual(error(["--timeout", "0"])?.code, .invalidOption)
    XCTAssertEqual(error(["--timeout=-1"])?.code, .invalidOption)
    XCTAssertEqual(error(["--timeout", "nan"])?.code, .invalidOption)
  }
}
