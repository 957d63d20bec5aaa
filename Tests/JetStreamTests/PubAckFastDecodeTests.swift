import Foundation
import NIOCore
import XCTest

@testable import JetStream

/// The byte-level PubAck parser agrees with the full decoder on every body it accepts, and hands
/// everything else (errors, escapes, unknown keys, malformed input) to the full decoder.
final class PubAckFastDecodeTests: XCTestCase {
  func testAcceptedBodiesMatchTheFullDecoder() throws {
    let bodies = [
      #"{"stream":"ORDERS","seq":1}"#,
      #"{"stream":"ORDERS","seq":18446744073709551615,"duplicate":true}"#,
      #" { "seq" : 42 , "stream" : "A_B-C" , "duplicate" : false , "domain" : "hub" } "#,
      #"{"domain":"x","stream":"S","seq":0}"#,
    ]
    for body in bodies {
      let fast = try XCTUnwrap(PubAck.fastDecode(Array(body.utf8)), body)
      let full = try JSONDecoder().decode(PubAck.self, from: Data(body.utf8))
      XCTAssertEqual(fast, full, body)
      XCTAssertEqual(try PubAck.decode(Array(body.utf8)), full, body)
    }
  }

  func testEverythingElseFallsBackToTheFullDecoder() throws {
    let fallbacks = [
      #"{"error":{"code":503,"err_code":10039,"description":"no stream"}}"#,
      #"{"stream":"A\"B","seq":1}"#,
      #"{"stream":"A","seq":1,"batch":"x"}"#,
      #"{"stream":"A","seq":18446744073709551616}"#,
      #"{"stream":"A","seq":-1}"#,
      #"{"stream":"A","seq":1,"duplicate":yes}"#,
      #"{"stream":"A","seq":1}x"#,
      #"{"stream":"A","stream":"B","seq":1}"#,
      #"{"seq":1}"#, "{}", "", "[1]", #"{"stream":"A","seq":1"#, #"{"stream":"A","seq":1,}"#,
    ]
    for body in fallbacks {
      XCTAssertNil(PubAck.fastDecode(Array(body.utf8)), body)
    }
    do {
      _ = try PubAck.decode(Array(fallbacks[0].utf8))
      XCTFail("an error body must throw")
    } catch let error as JetStreamAPIError {
      XCTAssertEqual(error.errorCode, 10039)
    }
  }

  /// A received payload is a slice of the read buffer (its bytes do not start at index 0): decoded
  /// in place when common, copied for the full decoder otherwise.
  func testPayloadSlicesDecodeAsTheirBytes() throws {
    for body in [#"{"stream":"ORDERS","seq":7,"duplicate":true}"#, #"{"stream":"A\"B","seq":1}"#] {
      var read = ByteBuffer(string: "MSG _INBOX.x 1 44\r\n" + body + "\r\n")
      read.moveReaderIndex(forwardBy: 19)
      let payload = try XCTUnwrap(read.readSlice(length: body.utf8.count))
      XCTAssertEqual(try PubAck.decode(payload), try PubAck.decode(Array(body.utf8)), body)
    }
    var error = ByteBuffer(
      string: "xx" + #"{"error":{"code":503,"err_code":10039,"description":"no stream"}}"#)
    error.moveReaderIndex(forwardBy: 2)
    XCTAssertThrowsError(try PubAck.decode(error)) {
      XCTAssertEqual(($0 as? JetStreamAPIError)?.errorCode, 10039)
    }
  }

  func testEveryTruncationIsRefusedWithoutTrapping() {
    let body = Array(#"{"stream":"ORDERS","seq":12345,"duplicate":true,"domain":"d"}"#.utf8)
    for cut in 0..<body.count {
      XCTAssertNil(PubAck.fastDecode(Array(body[..<cut])), "cut at \(cut)")
    }
    XCTAssertNotNil(PubAck.fastDecode(body))
  }
}
