import Foundation
import NKeys
import XCTest

final class NATSCredentialsTests: XCTestCase {
  /// A syntactically valid JWT (header.claims.signature); its content does not matter to the parser.
  private let jwt =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVQUIyQ0I1NzZQSEJCUFE1T0RPUlJaMkxZQ01XUFpHV0dDTjJLREs3RFhPSU1aQVNLVVkzUkxLSyJ9.c2lnbmF0dXJl"

  private var standardFile: String {
    """
    -----BEGIN NATS USER JWT-----
    \(jwt)
    ------END NATS USER JWT------

    ************************* IMPORTANT *************************
    NKEY Seed printed below can be used to sign and prove identity.
    NKEYs are sensitive and should be treated as secrets.

    -----BEGIN USER NKEY SEED-----
    \(NKeyVectors.userSeed)
    ------END USER NKEY SEED------

    *************************************************************

    """
  }

  func testParsesStandardCredentialsFile() throws {
    let credentials = try NATSCredentials(contents: standardFile)
    XCTAssertEqual(credentials.jwt, jwt)
    XCTAssertEqual(credentials.keyPair.publicKey, NKeyVectors.userPublicKey)
  }

  func testParsesCRLFExtraDashesAndIndentation() throws {
    let text = """
         ---------BEGIN NATS USER JWT---------   \r
      \t\(jwt)  \r
      \r
      ---END NATS USER JWT---\r
      ***** IMPORTANT *****\r
      -----BEGIN USER NKEY SEED-----\r
         \(NKeyVectors.userSeed)\r
      ----------END USER NKEY SEED----------
      """
    let credentials = try NATSCredentials(contents: text)
    XCTAssertEqual(credentials.jwt, jwt)
    XCTAssertEqual(credentials.keyPair.publicKey, NKeyVectors.userPublicKey)
  }

  func testParsesOldMacLineEnds() throws {
    let text = standardFile.replacingOccurrences(of: "\n", with: "\r")
    XCTAssertEqual(try NATSCredentials(contents: text).jwt, jwt)
  }

  func testMissingSeedBlockIsRejected() {
    let text = """
      -----BEGIN NATS USER JWT-----
      \(jwt)
      ------END NATS USER JWT------
      """
    assertRejected(text, code: .invalidCredentials)
  }

  func testMissingJWTBlockIsRejected() {
    let text = """
      -----BEGIN USER NKEY SEED-----
      \(NKeyVectors.userSeed)
      ------END USER NKEY SEED------
      """
    assertRejected(text, code: .invalidCredentials)
  }

  func testNoBlocksAtAllIsRejected() {
    assertRejected("", code: .invalidCredentials)
    assertRejected("just some text\nwithout markers\n", code: .invalidCredentials)
  }

  func testUnterminatedSeedBlockIsRejected() {
    let text = """
      -----BEGIN NATS USER JWT-----
      \(jwt)
      ------END NATS USER JWT------
      -----BEGIN USER NKEY SEED-----
      \(NKeyVectors.userSeed)
      """
    assertRejected(text, code: .invalidCredentials)
  }

  func testEmptyOrMalformedJWTIsRejected() {
    let empty = standardFile.replacingOccurrences(of: jwt, with: "")
    assertRejected(empty, code: .invalidCredentials)
    let notAJWT = standardFile.replacingOccurrences(of: jwt, with: "abcdef")
    assertRejected(notAJWT, code: .invalidCredentials)
  }

  func testBadSeedInsideCredentialsIsRejectedWithoutLeakingIt() {
    var characters = Array(NKeyVectors.userSeed)
    characters[30] = characters[30] == "A" ? "B" : "A"
    let badSeed = String(characters)
    let text = standardFile.replacingOccurrences(of: NKeyVectors.userSeed, with: badSeed)
    XCTAssertThrowsError(try NATSCredentials(contents: text)) { error in
      let error = error as? NKeyError
      XCTAssertEqual(error?.code, .invalidChecksum)
      XCTAssertFalse(error?.description.contains(badSeed) ?? true)
      XCTAssertFalse(error?.description.contains(self.jwt) ?? true)
    }
  }

  func testReadsFromPathAndReportsUnreadableFile() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("nkeys-test-\(UUID().uuidString).creds").path
    try standardFile.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let credentials = try NATSCredentials(path: path)
    XCTAssertEqual(credentials.keyPair.publicKey, NKeyVectors.userPublicKey)

    XCTAssertThrowsError(try NATSCredentials(path: path + ".missing")) { error in
      let error = error as? NKeyError
      XCTAssertEqual(error?.code, .unreadableFile)
      XCTAssertTrue(error?.message.contains(".missing") ?? false)
    }
  }

  func testSignNonceMatchesKnownVectorAndVerifies() throws {
    let credentials = try NATSCredentials(contents: standardFile)
    let signature = credentials.signNonce(NKeyVectors.nonce)
    XCTAssertFalse(signature.contains("="))
    XCTAssertFalse(signature.contains("+"))
    XCTAssertFalse(signature.contains("/"))
    let raw = try Base64URL.decode(signature)
    XCTAssertTrue(
      try NKeyPair.verify(
        publicKey: NKeyVectors.userPublicKey, signature: raw, data: Array(NKeyVectors.nonce.utf8)))
    let known = try Base64URL.decode(NKeyVectors.nonceSignature)
    XCTAssertTrue(
      try NKeyPair.verify(
        publicKey: NKeyVectors.userPublicKey, signature: known, data: Array(NKeyVectors.nonce.utf8)))
    #if !canImport(Darwin)
      XCTAssertEqual(signature, NKeyVectors.nonceSignature)
    #endif
  }

  func testDescriptionHidesJWTAndSeed() throws {
    let credentials = try NATSCredentials(contents: standardFile)
    for text in ["\(credentials)", String(reflecting: credentials)] {
      XCTAssertFalse(text.contains(jwt))
      XCTAssertFalse(text.contains(NKeyVectors.userSeed))
      XCTAssertTrue(text.contains(NKeyVectors.userPublicKey))
    }
  }

  private func assertRejected(
    _ text: String, code: NKeyError.Code, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertThrowsError(try NATSCredentials(contents: text), file: file, line: line) { error in
      XCTAssertEqual((error as? NKeyError)?.code, code, "\(error)", file: file, line: line)
    }
  }
}
