import NKeys
import XCTest

/// Vectors generated with the Python `nkeys` 0.2.1 library (PyNaCl Ed25519), committed as literals.
enum NKeyVectors {
  /// Raw seed bytes 0x00...0x1F as a user.
  static let userSeed = "SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y"
  static let userPublicKey = "UAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RLKK"
  /// Ed25519 signature of "hello nats" by the user key, hex.
  static let userSignatureHex =
    "e56601fa2c49b6b8b1558bbef4c63f33c796a305d651917fe7e3e04968f1dfda"
    + "f9183d1a3e10073a2645f9a74e1635ef57d00abaaf9f9fe4b3b0bc4ae966cc0d"
  /// Base64URL (no padding) of the user's signature of the nonce "nonce-abc123XYZ".
  static let nonce = "nonce-abc123XYZ"
  static let nonceSignature =
    "b9iqw5af3ceysYpJ7wOKT6OPiCGp0hwqsI8WaQ7OZEoQDvwNIpepKvvucMEjh6Mp4Nb4GEbE7zSPkk7cvS4aCw"

  /// (role, seed, public key) for every role.
  static let roles: [(NKeyPrefix, String, String)] = [
    (.user, userSeed, userPublicKey),
    (
      .account, "SAAKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVKRU4A",
      "ADTTJ2TMFNRFPXTSGVPEOKVALJGEQ7TLIY6AFHWTA3PS6ANVMNVVRE4B"
    ),
    (
      .operator, "SOAEEQSCIJBEEQSCIJBEEQSCIJBEEQSCIJBEEQSCIJBEEQSCIJBEEQQBGA",
      "OAQVF6GRTN4R2JCFGJBOCXZOVNWLPT72PNVF5UYAS6LA4BUYQHNRETX5"
    ),
    (
      .server, "SNAP77X57T57V6PY673PL5HT6LY7B37O5XWOX2XJ5DT6NZPE4PRODYHXNE",
      "NC5PY4N6VU5MLZFWH2OIEFXOOGRUVLWGK4RO5W6KOKFU5GZ4ZTRZN2HG"
    ),
    (
      .cluster, "SCAAOBYHA4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYHA4DQOBYHA4DQOB6MEM",
      "CDVEU3DD4KOFECV66VIHWEZOYX4ZKR3WV27L464SIIPOU2IUI3JCYEYG"
    ),
  ]

  static func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return result
  }

  /// Base32 of `bytes` plus their little-endian CRC16, to build deliberately wrong keys.
  static func encodeWithCRC(_ bytes: [UInt8]) -> String {
    let crc = CRC16.xmodem(bytes)
    return Base32.encode(bytes + [UInt8(crc & 0xFF), UInt8(crc >> 8)])
  }
}

final class NKeyPairTests: XCTestCase {
  func testSeedDecodesToKnownPublicKeyForEveryRole() throws {
    for (role, seed, publicKey) in NKeyVectors.roles {
      let pair = try NKeyPair(seed: seed)
      XCTAssertEqual(pair.role, role)
      XCTAssertEqual(pair.publicKey, publicKey, "\(role)")
      XCTAssertEqual(pair.seed, seed, "seed re-encodes identically for \(role)")
      XCTAssertEqual(pair.publicKeyBytes.count, 32)
    }
  }

  func testSeedToleratesSurroundingWhitespace() throws {
    let pair = try NKeyPair(seed: "  \(NKeyVectors.userSeed)\r\n")
    XCTAssertEqual(pair.publicKey, NKeyVectors.userPublicKey)
  }

  func testSignatureMatchesAndVerifiesKnownVector() throws {
    let pair = try NKeyPair(seed: NKeyVectors.userSeed)
    let data = Array("hello nats".utf8)
    let known = NKeyVectors.bytes(hex: NKeyVectors.userSignatureHex)
    XCTAssertEqual(known.count, 64)
    XCTAssertTrue(try NKeyPair.verify(publicKey: NKeyVectors.userPublicKey, signature: known, data: data))
    XCTAssertFalse(
      try NKeyPair.verify(
        publicKey: NKeyVectors.userPublicKey, signature: known, data: Array("hello nat".utf8)))
    #if !canImport(Darwin)
      // BoringSSL's Ed25519 is deterministic (RFC 8032), so it matches PyNaCl byte for byte;
      // Apple's CryptoKit randomises signatures, so only verification is portable.
      XCTAssertEqual(pair.sign(data), known)
    #endif
  }

  func testGenerateSignVerifyRoundTrip() throws {
    for role in [NKeyPrefix.user, .account, .operator, .server, .cluster] {
      let pair = NKeyPair.generate(role)
      XCTAssertEqual(pair.role, role)
      XCTAssertEqual(pair.publicKey.count, 56)
      XCTAssertEqual(pair.seed.count, 58)
      XCTAssertTrue(pair.seed.hasPrefix("S"))
      let restored = try NKeyPair(seed: pair.seed)
      XCTAssertEqual(restored.publicKey, pair.publicKey)

      let data = Array("payload for \(role)".utf8)
      let signature = pair.sign(data)
      XCTAssertEqual(signature.count, 64)
      XCTAssertTrue(try NKeyPair.verify(publicKey: pair.publicKey, signature: signature, data: data))
      XCTAssertTrue(restored.verify(signature: signature, data: data))
      var tampered = signature
      tampered[0] ^= 0x01
      XCTAssertFalse(try NKeyPair.verify(publicKey: pair.publicKey, signature: tampered, data: data))
      let other = NKeyPair.generate(role)
      XCTAssertFalse(try NKeyPair.verify(publicKey: other.publicKey, signature: signature, data: data))
    }
  }

  func testGeneratedKeysStartWithTheirRoleLetter() {
    let expected: [(NKeyPrefix, String, String)] = [
      (.user, "U", "SU"), (.account, "A", "SA"), (.operator, "O", "SO"), (.server, "N", "SN"),
      (.cluster, "C", "SC"),
    ]
    for (role, publicLetter, seedLetters) in expected {
      let pair = NKeyPair.generate(role)
      XCTAssertTrue(pair.publicKey.hasPrefix(publicLetter), "\(role)")
      XCTAssertTrue(pair.seed.hasPrefix(seedLetters), "\(role)")
    }
  }

  func testSeedWithBadCRCIsRejected() {
    var characters = Array(NKeyVectors.userSeed)
    characters[20] = characters[20] == "A" ? "B" : "A"
    assertSeedRejected(String(characters), code: .invalidChecksum)
  }

  func testSeedWithWrongPrefixIsRejected() {
    // A valid CRC over 34 bytes that do not start with the seed prefix.
    let notASeed = NKeyVectors.encodeWithCRC(
      [NKeyPrefix.user.rawValue, 0] + [UInt8](repeating: 1, count: 32))
    assertSeedRejected(notASeed, code: .invalidPrefix)
    // A seed whose role is "private key", which is not a key role.
    let role = NKeyPrefix.privateKey.rawValue
    let badRole = NKeyVectors.encodeWithCRC(
      [NKeyPrefix.seed.rawValue | role >> 5, (role & 0x1F) << 3] + [UInt8](repeating: 1, count: 32))
    assertSeedRejected(badRole, code: .invalidPrefix)
  }

  func testSeedWithWrongLengthIsRejected() {
    let short = NKeyVectors.encodeWithCRC([144, 160] + [UInt8](repeating: 1, count: 31))
    assertSeedRejected(short, code: .invalidLength)
    let long = NKeyVectors.encodeWithCRC([144, 160] + [UInt8](repeating: 1, count: 33))
    assertSeedRejected(long, code: .invalidLength)
    // A public key is 33 bytes, not a seed.
    assertSeedRejected(NKeyVectors.userPublicKey, code: .invalidLength)
    assertSeedRejected("", code: .invalidLength)
  }

  func testSeedThatIsNotBase32IsRejected() {
    assertSeedRejected(NKeyVectors.userSeed.lowercased(), code: .invalidEncoding)
    assertSeedRejected("SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H7718", code: .invalidEncoding)
    assertSeedRejected("not a seed", code: .invalidEncoding)
  }

  func testVerifyRejectsMalformedPublicKeys() {
    let signature = [UInt8](repeating: 0, count: 64)
    var broken = Array(NKeyVectors.userPublicKey)
    broken[10] = broken[10] == "A" ? "B" : "A"
    let cases: [(String, NKeyError.Code)] = [
      (String(broken), .invalidChecksum),
      (NKeyVectors.userSeed, .invalidLength),
      ("U1", .invalidEncoding),
      (
        NKeyVectors.encodeWithCRC([NKeyPrefix.seed.rawValue] + [UInt8](repeating: 2, count: 32)),
        .invalidPrefix
      ),
    ]
    for (key, code) in cases {
      XCTAssertThrowsError(try NKeyPair.verify(publicKey: key, signature: signature, data: [1])) { error in
        XCTAssertEqual((error as? NKeyError)?.code, code, key)
      }
    }
  }

  func testDescriptionsNeverShowTheSeed() throws {
    let pair = try NKeyPair(seed: NKeyVectors.userSeed)
    let rendered = [
      "\(pair)", String(reflecting: pair),
      String(describing: Mirror(reflecting: pair).children.map { $0.value }),
    ]
    for text in rendered {
      XCTAssertFalse(text.contains(NKeyVectors.userSeed), text)
      XCTAssertFalse(text.contains("SUAAAA"), text)
    }
    XCTAssertTrue("\(pair)".contains(NKeyVectors.userPublicKey))
  }

  private func assertSeedRejected(
    _ seed: String, code: NKeyError.Code, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertThrowsError(try NKeyPair(seed: seed), file: file, line: line) { error in
      guard let error = error as? NKeyError else {
        return XCTFail("unexpected error type \(error)", file: file, line: line)
      }
      XCTAssertEqual(error.code, code, error.message, file: file, line: line)
      XCTAssertFalse(error.message.isEmpty, file: file, line: line)
      if seed.count > 8 {
        XCTAssertFalse(error.description.contains(seed), "error leaks the seed", file: file, line: line)
      }
    }
  }
}
