import NKeys
import XCTest

final class EncodingTests: XCTestCase {
  /// RFC 4648 section 10 vectors, without padding.
  private let base32Vectors: [(String, String)] = [
    ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
    ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
  ]

  func testBase32EncodesRFC4648Vectors() {
    for (plain, encoded) in base32Vectors {
      XCTAssertEqual(Base32.encode(Array(plain.utf8)), encoded, "encode \(plain)")
    }
  }

  func testBase32DecodesRFC4648VectorsPaddedOrNot() throws {
    for (plain, encoded) in base32Vectors {
      XCTAssertEqual(try Base32.decode(encoded), Array(plain.utf8), "decode \(encoded)")
      let padded = encoded + String(repeating: "=", count: (8 - encoded.count % 8) % 8)
      XCTAssertEqual(try Base32.decode(padded), Array(plain.utf8), "decode \(padded)")
    }
  }

  func testBase32RoundTripsEveryByteValue() throws {
    let bytes = (0...255).map { UInt8($0) }
    for length in [1, 2, 3, 4, 5, 33, 35, 36, 256] {
      let slice = Array(bytes.prefix(length))
      XCTAssertEqual(try Base32.decode(Base32.encode(slice)), slice)
    }
  }

  func testBase32RejectsCharactersOutsideTheAlphabet() {
    for bad in ["MZXW1", "mzxw6", "MZX W6", "MZXW6!", "MZXW0"] {
      XCTAssertThrowsError(try Base32.decode(bad), bad) { error in
        XCTAssertEqual((error as? NKeyError)?.code, .invalidEncoding)
      }
    }
  }

  func testBase32RejectsImpossibleLengths() {
    for bad in ["M", "MZX", "MZXW6Y"] {
      XCTAssertThrowsError(try Base32.decode(bad), bad) { error in
        XCTAssertEqual((error as? NKeyError)?.code, .invalidEncoding)
      }
    }
  }

  func testCRC16XmodemCheckValue() {
    XCTAssertEqual(CRC16.xmodem(Array("123456789".utf8)), 0x31C3)
    XCTAssertEqual(CRC16.xmodem([UInt8]()), 0)
    XCTAssertEqual(CRC16.xmodem(Array("A".utf8)), 0x58E5)
  }

  func testBase64URLEncodesWithoutPadding() {
    XCTAssertEqual(Base64URL.encode([]), "")
    XCTAssertEqual(Base64URL.encode(Array("f".utf8)), "Zg")
    XCTAssertEqual(Base64URL.encode(Array("fo".utf8)), "Zm8")
    XCTAssertEqual(Base64URL.encode(Array("foo".utf8)), "Zm9v")
    XCTAssertEqual(Base64URL.encode(Array("foobar".utf8)), "Zm9vYmFy")
    XCTAssertEqual(Base64URL.encode([0xFB, 0xFF, 0xBF]), "-_-_")
    XCTAssertEqual(
      Base64URL.encode(Array(#"{"typ":"JWT","alg":"ed25519-nkey"}"#.utf8)),
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ")
  }

  func testBase64URLDecodesPaddedUnpaddedAndStandardAlphabet() throws {
    XCTAssertEqual(try Base64URL.decode("Zm8"), Array("fo".utf8))
    XCTAssertEqual(try Base64URL.decode("Zm8="), Array("fo".utf8))
    XCTAssertEqual(try Base64URL.decode("Zg=="), Array("f".utf8))
    XCTAssertEqual(try Base64URL.decode("-_-_"), [0xFB, 0xFF, 0xBF])
    XCTAssertEqual(try Base64URL.decode("+/+/"), [0xFB, 0xFF, 0xBF])
    let bytes = (0...255).map { UInt8($0) }
    for length in [0, 1, 2, 3, 64, 256] {
      let slice = Array(bytes.prefix(length))
      XCTAssertEqual(try Base64URL.decode(Base64URL.encode(slice)), slice)
    }
  }

  func testBase64URLRejectsBadInput() {
    for bad in ["Z", "Zm9v!", "Zm 9v", "Zm9vY"] {
      XCTAssertThrowsError(try Base64URL.decode(bad), bad) { error in
        XCTAssertEqual((error as? NKeyError)?.code, .invalidEncoding)
      }
    }
  }
}
