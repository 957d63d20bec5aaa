import Foundation
import Logging
import XCTest

@testable import ServiceOperations

final class ServiceConfigurationTests: XCTestCase {
  private var directory = ""
  private let tenantA = "6F9619FF-8B86-D011-B42D-00C04FC964FF"
  private let tenantB = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"

  override func setUpWithError() throws {
    directory = NSTemporaryDirectory() + "service-operations-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for name in ["ca.pem", "cert.pem", "key.pem", "seed.nk", "user.creds"] {
      try write("placeholder\n", to: name)
    }
    try write(#"{"6f9619ff-8b86-d011-b42d-00c04fc964ff": {"auto_post": true}}"#, to: "rules.json")
    try write("not json at all", to: "broken.json")
    try write("[1, 2, 3]", to: "array.json")
    try FileManager.default.createDirectory(atPath: path("subdir"), withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: directory)
  }

  private func path(_ name: String) -> String { directory + "/" + name }

  private func write(_ text: String, to name: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
  }

  private var minimal: [String: String] {
    ["LEDGER_PATH": path("ledger.sqlite"), "TENANTS": tenantA]
  }

  private func load(
    _ environment: [String: String], _ arguments: [String] = []
  ) throws(ConfigurationError) -> ServiceConfiguration {
    try ServiceConfiguration.load(environment: environment, arguments: arguments, serviceName: "test-service")
  }

  /// The error `load` throws, or nil (and a test failure) when it succeeds.
  private func failure(
    _ environment: [String: String], _ arguments: [String] = [], file: StaticString = #filePath,
    line: UInt = #line
  ) -> ConfigurationError? {
    do {
      let configuration = try load(environment, arguments)
      XCTFail("expected an error, loaded \(configuration)", file: file, line: line)
      return nil
    } catch {
      return error
    }
  }

  private func assertRefused(
    _ environment: [String: String], _ arguments: [String] = [], setting: String,
    reasonContains fragment: String? = nil, file: StaticString = #filePath, line: UInt = #line
  ) {
    guard let error = failure(environment, arguments, file: file, line: line) else { return }
    XCTAssertEqual(error.setting, setting, error.description, file: file, line: line)
    XCTAssertFalse(error.isHelpRequest, file: file, line: line)
    if let fragment {
      XCTAssertTrue(
        error.reason.contains(fragment), "\(error.reason) lacks \(fragment)", file: file, line: line)
    }
  }

  private func with(_ changes: [String: String]) -> [String: String] {
    minimal.merging(changes) { _, new in new }
  }

  func testMinimalEnvironmentUsesDefaults() throws {
    let configuration = try load(minimal)
    XCTAssertEqual(configuration.natsURLs, ["nats://127.0.0.1:4222"])
    XCTAssertEqual(configuration.ledgerPath, path("ledger.sqlite"))
    XCTAssertEqual(configuration.tenants, [tenantA.lowercased()])
    XCTAssertEqual(configuration.httpPort, 8080)
    XCTAssertEqual(configuration.logLevel, .info)
    XCTAssertEqual(configuration.logFormat, .json)
    XCTAssertEqual(configuration.batchSize, 64)
    XCTAssertEqual(configuration.shutdownTimeout, .seconds(25))
    XCTAssertNil(configuration.natsUser)
    XCTAssertNil(configuration.natsPassword)
    XCTAssertNil(configuration.natsToken)
    XCTAssertNil(configuration.natsNKeySeedFile)
    XCTAssertNil(configuration.natsCredsFile)
    XCTAssertNil(configuration.tlsCAFile)
    XCTAssertNil(configuration.tlsCertFile)
    XCTAssertNil(configuration.tlsKeyFile)
    XCTAssertNil(configuration.configFile)
    XCTAssertNil(configuration.configData)
  }

  func testEveryVariableValid() throws {
    let environment = [
      "NATS_URL": "nats://a.example:4222, tls://user:secret@b.example:4443,nats://[::1]:4222",
      "NATS_USER": "svc", "NATS_PASSWORD": "pw", "NATS_TOKEN": "tok",
      "NATS_NKEY_SEED_FILE": path("seed.nk"), "NATS_CREDS": path("user.creds"),
      "NATS_TLS_CA": path("ca.pem"), "NATS_TLS_CERT": path("cert.pem"), "NATS_TLS_KEY": path("key.pem"),
      "LEDGER_PATH": path("ledger.sqlite"), "TENANTS": "\(tenantA), \(tenantB),",
      "HTTP_PORT": "0", "CONFIG_FILE": path("rules.json"), "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "text",
      "PULL_BATCH": "1024", "SHUTDOWN_TIMEOUT_S": "2.5",
    ]
    let configuration = try load(environment)
    XCTAssertEqual(
      configuration.natsURLs,
      ["nats://a.example:4222", "tls://user:secret@b.example:4443", "nats://[::1]:4222"])
    XCTAssertEqual(configuration.natsUser, "svc")
    XCTAssertEqual(configuration.natsPassword, "pw")
    XCTAssertEqual(configuration.natsToken, "tok")
    XCTAssertEqual(configuration.natsNKeySeedFile, path("seed.nk"))
    XCTAssertEqual(configuration.natsCredsFile, path("user.creds"))
    XCTAssertEqual(configuration.tlsCAFile, path("ca.pem"))
    XCTAssertEqual(configuration.tlsCertFile, path("cert.pem"))
    XCTAssertEqual(configuration.tlsKeyFile, path("key.pem"))
    XCTAssertEqual(configuration.tenants, [tenantA.lowercased(), tenantB])
    XCTAssertEqual(configuration.httpPort, 0)
    XCTAssertEqual(configuration.configFile, path("rules.json"))
    let rules = try XCTUnwrap(FileManager.default.contents(atPath: path("rules.json")))
    XCTAssertEqual(configuration.configData, [UInt8](rules))
    XCTAssertEqual(configuration.logLevel, .debug)
    XCTAssertEqual(configuration.logFormat, .text)
    XCTAssertEqual(configuration.batchSize, 1024)
    XCTAssertEqual(configuration.shutdownTimeout, .milliseconds(2500))
  }

  func testLedgerPathIsRequiredAndItsDirectoryMustExist() {
    assertRefused(["TENANTS": tenantA], setting: "LEDGER_PATH", reasonContains: "required")
    assertRefused(with(["LEDGER_PATH": "   "]), setting: "LEDGER_PATH", reasonContains: "required")
    assertRefused(
      with(["LEDGER_PATH": path("missing/ledger.sqlite")]), setting: "LEDGER_PATH",
      reasonContains: "does not exist")
    assertRefused(with(["LEDGER_PATH": path("subdir")]), setting: "LEDGER_PATH", reasonContains: "directory")
  }

  func testTenantsAreRequiredUUIDs() {
    assertRefused(["LEDGER_PATH": path("ledger.sqlite")], setting: "TENANTS", reasonContains: "required")
    assertRefused(with(["TENANTS": "\(tenantA),acme-corp"]), setting: "TENANTS", reasonContains: "acme-corp")
    assertRefused(with(["TENANTS": "6f9619ff8b86d011b42d00c04fc964ff"]), setting: "TENANTS")
    assertRefused(with(["TENANTS": " , ,"]), setting: "TENANTS", reasonContains: "no organization")
  }

  func testHTTPPortRange() throws {
    XCTAssertEqual(try load(with(["HTTP_PORT": "65535"])).httpPort, 65535)
    for bad in ["65536", "-1", "80a", "8080.0", "http"] {
      assertRefused(with(["HTTP_PORT": bad]), setting: "HTTP_PORT", reasonContains: "0...65535")
    }
  }

  func testLogLevelAndFormat() throws {
    for level in Logger.Level.allCases {
      XCTAssertEqual(try load(with(["LOG_LEVEL": level.rawValue])).logLevel, level)
    }
    assertRefused(with(["LOG_LEVEL": "verbose"]), setting: "LOG_LEVEL", reasonContains: "verbose")
    XCTAssertEqual(try load(with(["LOG_FORMAT": "JSON"])).logFormat, .json)
    assertRefused(with(["LOG_FORMAT": "logfmt"]), setting: "LOG_FORMAT", reasonContains: "json|text")
  }

  func testBatchSizeAndShutdownTimeout() throws {
    XCTAssertEqual(try load(with(["PULL_BATCH": "1"])).batchSize, 1)
    for bad in ["0", "1025", "many"] {
      assertRefused(with(["PULL_BATCH": bad]), setting: "PULL_BATCH")
    }
    XCTAssertEqual(try load(with(["SHUTDOWN_TIMEOUT_S": "30"])).shutdownTimeout, .seconds(30))
    for bad in ["0", "-5", "soon", "inf", "nan", "3601"] {
      assertRefused(with(["SHUTDOWN_TIMEOUT_S": bad]), setting: "SHUTDOWN_TIMEOUT_S")
    }
  }

  func testNATSURLValidation() {
    let refused = [
      "http://host:4222", "nats://", "nats://host:0", "nats://host:99999", "nats://a:b:c",
      "nats://host:4222/path", "nats://@host", "host:4222", "nats://host:4222,", "nats://ho st",
      "nats://[::1",
    ]
    for url in refused {
      assertRefused(with(["NATS_URL": url]), setting: "NATS_URL")
    }
    guard let error = failure(with(["NATS_URL": "ftp://user:hunter2@host"])) else { return }
    XCTAssertFalse(error.description.contains("hunter2"), "password leaked: \(error)")
  }

  func testCredentialPairsAndFiles() {
    assertRefused(
      with(["NATS_TLS_CERT": path("cert.pem")]), setting: "NATS_TLS_KEY", reasonContains: "NATS_TLS_CERT")
    assertRefused(
      with(["NATS_TLS_KEY": path("key.pem")]), setting: "NATS_TLS_CERT", reasonContains: "NATS_TLS_KEY")
    assertRefused(with(["NATS_USER": "svc"]), setting: "NATS_PASSWORD")
    assertRefused(with(["NATS_PASSWORD": "pw"]), setting: "NATS_USER")
    assertRefused(
      with(["NATS_TLS_CA": path("nope.pem")]), setting: "NATS_TLS_CA", reasonContains: "does not exist")
    assertRefused(with(["NATS_CREDS": path("subdir")]), setting: "NATS_CREDS", reasonContains: "directory")
    assertRefused(with(["NATS_NKEY_SEED_FILE": path("missing.nk")]), setting: "NATS_NKEY_SEED_FILE")
    assertRefused(
      with(["NATS_TLS_CERT": path("cert.pem"), "NATS_TLS_KEY": path("gone.pem")]), setting: "NATS_TLS_KEY",
      reasonContains: "does not exist")
  }

  func testConfigFileMustBeAJSONObject() {
    assertRefused(
      with(["CONFIG_FILE": path("broken.json")]), setting: "CONFIG_FILE", reasonContains: "not a JSON object")
    assertRefused(
      with(["CONFIG_FILE": path("array.json")]), setting: "CONFIG_FILE", reasonContains: "not a JSON object")
    assertRefused(
      with(["CONFIG_FILE": path("absent.json")]), setting: "CONFIG_FILE", reasonContains: "does not exist")
  }

  func testFlagsOverrideEnvironment() throws {
    let environment = with(["HTTP_PORT": "1", "LOG_LEVEL": "error", "TENANTS": "not-a-uuid"])
    let configuration = try load(
      environment,
      ["--http-port", "9090", "--log-level=trace", "--tenants=\(tenantB)", "--pull-batch", "8"])
    XCTAssertEqual(configuration.httpPort, 9090)
    XCTAssertEqual(configuration.logLevel, .trace)
    XCTAssertEqual(configuration.tenants, [tenantB])
    XCTAssertEqual(configuration.batchSize, 8)

    let onlyFlags = try load(
      [:], ["--ledger-path", path("flag.sqlite"), "--tenants", tenantA, "--nats-url=tls://n1:4222"])
    XCTAssertEqual(onlyFlags.ledgerPath, path("flag.sqlite"))
    XCTAssertEqual(onlyFlags.natsURLs, ["tls://n1:4222"])

    assertRefused(minimal, ["--http-port", "70000"], setting: "HTTP_PORT")
    assertRefused(minimal, ["--nats-password=--dash"], setting: "NATS_USER")
  }

  func testArgumentErrors() {
    assertRefused(minimal, ["--bogus", "1"], setting: "--bogus", reasonContains: "unknown flag")
    assertRefused(minimal, ["--bogus=1"], setting: "--bogus")
    assertRefused(minimal, ["stray"], setting: "stray", reasonContains: "unexpected argument")
    assertRefused(minimal, ["--ledger-path"], setting: "LEDGER_PATH", reasonContains: "needs a value")
    assertRefused(minimal, ["--ledger-path", "--tenants", tenantA], setting: "LEDGER_PATH")
  }

  func testHelpRequest() {
    for flag in ["--help", "-h"] {
      guard let error = failure(minimal, ["--http-port", "1", flag]) else { continue }
      XCTAssertTrue(error.isHelpRequest)
      XCTAssertEqual(error, .helpRequested(usage: ServiceConfiguration.usage(serviceName: "test-service")))
      XCTAssertEqual(error.description, error.reason)
    }
    let usage = ServiceConfiguration.usage(serviceName: "charge-capture")
    XCTAssertTrue(usage.hasPrefix("USAGE: charge-capture "))
    for setting in ConfigurationSetting.all {
      XCTAssertTrue(usage.contains(setting.flag), "usage lacks \(setting.flag)")
      XCTAssertTrue(usage.contains(setting.environmentName), "usage lacks \(setting.environmentName)")
    }
    XCTAssertTrue(usage.contains("--nats-creds"))
    XCTAssertTrue(usage.contains("--shutdown-timeout-s"))
  }

  func testErrorDescriptionNamesTheSetting() {
    let error = ConfigurationError(setting: "HTTP_PORT", reason: "\"x\" is not an integer in 0...65535")
    XCTAssertEqual(
      error.description, "invalid configuration: HTTP_PORT: \"x\" is not an integer in 0...65535")
  }
}
