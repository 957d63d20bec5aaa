import Foundation
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

  func testEveryTruncationIsRefusedWithoutTrapping() {
    let body = Array(#"{"stream":"ORDERS","seq":12345,"duplicate":true,"domain":"d"}"#.utf8)
    for cut in 0..<body.count {
      XCTAssertNil(PubAck.fastDecode(Array(body[..<cut])), "cut at \(cut)")
    }
    XCTAssertNotNil(PubAck.fastDecode(body))
  }
}
